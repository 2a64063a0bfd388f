import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  assertWasmMatchesCpu,
  prepareBackends,
  randomTensor,
} from '../testing/wasm-cpu-comparison.ts';

describe('matMul on wasm with transpose flags', () => {
  before(prepareBackends);

  test('each flag, both flags and a batch-1 rank-3 product match cpu', async () => {
    await assertWasmMatchesCpu(
      () => [
        tf.matMul(randomTensor([7, 5], 1), randomTensor([3, 5], 2), false, true),
        tf.matMul(randomTensor([5, 7], 3), randomTensor([5, 3], 4), true, false),
        tf.matMul(randomTensor([5, 7], 5), randomTensor([3, 5], 6), true, true),
        tf.matMul(randomTensor([1, 4, 6], 7), randomTensor([1, 2, 6], 8), false, true),
      ],
      ['a b^T', 'a^T b', 'a^T b^T', '[1,4,6] x [1,2,6]^T'],
    );
  });

  test('batched products and a fused product with bias and relu match cpu', async () => {
    await assertWasmMatchesCpu(
      () => [
        tf.matMul(randomTensor([2, 4, 6], 9), randomTensor([2, 3, 6], 10), false, true),
        tf.fused.matMul({
          a: randomTensor([6, 4], 11) as tf.Tensor2D,
          b: randomTensor([3, 6], 12) as tf.Tensor2D,
          transposeA: true,
          transposeB: true,
          bias: randomTensor([3], 13),
          activation: 'relu',
        }),
      ],
      ['batch 2 with a flag', 'fused a^T b^T + bias, relu'],
    );
  });

  test('the gradient of a dense layer matches cpu and leaves no buffers behind', async () => {
    await assertWasmMatchesCpu(
      () => {
        const x = randomTensor([8, 16], 14);
        const w = randomTensor([16, 4], 15);
        const gradients = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.square(tf.matMul(a, b))),
        )([x, w]);
        return gradients;
      },
      ['d/dx', 'd/dw'],
    );

    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const buffers = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    tf.tidy(() => {
      tf.matMul(randomTensor([3, 5], 16), randomTensor([4, 5], 17), false, true);
    });
    assert.equal(tf.memory().numTensors, before);
    assert.equal((tf.backend() as unknown as { numDataIds(): number }).numDataIds(), buffers);
  });
});
