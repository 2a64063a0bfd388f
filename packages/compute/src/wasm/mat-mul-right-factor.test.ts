import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  assertWasmMatchesCpu,
  prepareBackends,
  randomTensor,
} from '../testing/wasm-cpu-comparison.ts';

describe('matMul on wasm with a right factor reshaped between products', () => {
  before(prepareBackends);

  test('[3,4] then its reshape [4,3] as right factor match cpu', async () => {
    await assertWasmMatchesCpu(
      () => {
        const b = randomTensor([3, 4], 1);
        const first = tf.matMul(randomTensor([2, 3], 2), b);
        const second = tf.matMul(
          randomTensor([2, 4], 3),
          tf.reshape(b, [4, 3]),
        );
        return [first, second];
      },
      ['a [2,3] x b [3,4]', 'a [2,4] x b as [4,3]'],
    );
  });

  test('[1,4] after [4,1] gives the scaled row, not a stale packing',
    async () => {
      await tf.setBackend('wasm');
      const row = tf.tensor2d([[1, 2, 3, 4]]);
      const inner = tf.matMul(row, tf.reshape(row, [4, 1]));
      const scaled = tf.matMul(tf.tensor2d([[2]]), row);

      assert.deepEqual(Array.from(inner.dataSync()), [30]);
      assert.deepEqual(Array.from(scaled.dataSync()), [2, 4, 6, 8]);
      tf.dispose([row, inner, scaled]);
    });

  test('alternating shapes of one buffer [64,96] and [96,64] stay right',
    async () => {
      await assertWasmMatchesCpu(
        () => {
          const b = randomTensor([64, 96], 4);
          const flipped = tf.reshape(b, [96, 64]);
          const a = randomTensor([5, 64], 5);
          const c = randomTensor([5, 96], 6);
          return [
            tf.matMul(a, b),
            tf.matMul(c, flipped),
            tf.matMul(a, b),
            tf.matMul(c, flipped),
          ];
        },
        ['first [64,96]', 'first [96,64]', 'again [64,96]', 'again [96,64]'],
      );
    });

  test('a dense layer after a flatten: fused matMul with bias and relu',
    async () => {
      await assertWasmMatchesCpu(
        () => {
          // The same weights seen as [8,6] by one layer, [6,8] by another.
          const weights = randomTensor([8, 6], 7);
          const x = randomTensor([3, 2, 2, 2], 8);
          const flat = tf.reshape(x, [3, 8]) as tf.Tensor2D;
          const first = tf.fused.matMul({
            a: flat,
            b: weights as tf.Tensor2D,
            bias: randomTensor([6], 9),
            activation: 'relu',
          });
          const second = tf.fused.matMul({
            a: randomTensor([3, 6], 10) as tf.Tensor2D,
            b: tf.reshape(weights, [6, 8]) as tf.Tensor2D,
            bias: randomTensor([8], 11),
            activation: 'relu',
          });
          return [first, second];
        },
        ['fused [8,6]', 'fused [6,8]'],
      );
    });

  test('plain and fused products share the cached packing safely',
    async () => {
      await assertWasmMatchesCpu(
        () => {
          const b = randomTensor([4, 6], 12);
          const plain = tf.matMul(randomTensor([2, 4], 13), b);
          const fused = tf.fused.matMul({
            a: randomTensor([2, 6], 14) as tf.Tensor2D,
            b: tf.reshape(b, [6, 4]) as tf.Tensor2D,
          });
          return [plain, fused];
        },
        ['matMul [4,6]', 'fused matMul [6,4]'],
      );
    });

  test('leaves no buffers behind when a factor is reshaped', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as tf.KernelBackend;
    const step = () =>
      tf.tidy(() => {
        const b = randomTensor([16, 24], 15);
        tf.matMul(randomTensor([3, 16], 16), b).dataSync();
        tf.matMul(randomTensor([3, 24], 17), tf.reshape(b, [24, 16]))
          .dataSync();
      });

    step();
    const dataIds = backend.numDataIds();
    const tensors = tf.memory().numTensors;
    step();
    assert.equal(backend.numDataIds(), dataIds);
    assert.equal(tf.memory().numTensors, tensors);
  });
});
