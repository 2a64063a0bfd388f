import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  assertWasmMatchesCpu,
  prepareBackends,
  randomTensor,
} from '../testing/wasm-cpu-comparison.ts';
import { copySlice } from './slice-from-heap.ts';

describe('Slice on wasm, copied from the heap', () => {
  before(prepareBackends);

  test('copySlice takes the [1:3, 1:3] block of a 4x4 matrix', () => {
    const x = Float32Array.from({ length: 16 }, (_, i) => i);
    const out = new Float32Array(4);
    copySlice(x, [4, 4], [1, 1], [2, 2], out);
    assert.deepEqual(Array.from(out), [5, 6, 9, 10]);
  });

  const cases: Array<{ shape: number[]; begin: number[]; size: number[] }> = [
    { shape: [10], begin: [3], size: [5] },
    { shape: [6, 7], begin: [2, 0], size: [3, 7] },
    { shape: [6, 7], begin: [1, 2], size: [4, 3] },
    { shape: [6, 7], begin: [0, 6], size: [6, 1] },
    { shape: [4, 5, 6], begin: [1, 2, 3], size: [2, 3, -1] },
    { shape: [3, 4, 5, 6], begin: [0, 1, 0, 2], size: [3, 2, 5, 3] },
    { shape: [2, 3, 4, 5, 2], begin: [1, 0, 1, 2, 0], size: [1, 3, 2, 2, 2] },
  ];
  for (const { shape, begin, size } of cases) {
    test(`[${shape}] from [${begin}] size [${size}] matches cpu`, async () => {
      await assertWasmMatchesCpu(
        () => [tf.slice(randomTensor(shape, 3), begin, size)],
        ['slice'],
        0,
      );
    });
  }

  test('int32 and bool slices keep their values', async () => {
    await tf.setBackend('wasm');
    const ints = tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], 'int32');
    const flags = tf.tensor2d([[true, false], [false, true]], [2, 2], 'bool');
    const intSlice = tf.slice(ints, [0, 1], [2, 2]);
    const flagSlice = tf.slice(flags, [1, 0], [1, 2]);

    assert.deepEqual(Array.from(intSlice.dataSync()), [2, 3, 5, 6]);
    assert.equal(intSlice.dtype, 'int32');
    assert.deepEqual(Array.from(flagSlice.dataSync()), [0, 1]);
    assert.equal(flagSlice.dtype, 'bool');
    tf.dispose([ints, flags, intSlice, flagSlice]);
  });

  test('an empty slice has the asked shape', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([3, 4]);
    const empty = tf.slice(x, [1, 0], [0, 4]);
    assert.deepEqual(empty.shape, [0, 4]);
    tf.dispose([x, empty]);
  });
});
