import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  assertWasmMatchesCpu,
  prepareBackends,
  randomTensor,
} from '../testing/wasm-cpu-comparison.ts';

/**
 * A tiny conv autoencoder with the shapes that broke wasm: 'same' convs
 * whose stride exceeds the kernel, a max pool and a 16x16 transposed conv.
 *   x [2,32,32,3] -conv 3x3/2 relu-> [2,16,16,8] -maxPool 2-> [2,8,8,8]
 *   -conv 7x7/4 tanh-> [2,2,2,16] -convT 16x16/16 sigmoid-> [2,32,32,3]
 * The loss is the mean squared reconstruction error.
 */
function reconstructionLoss(
  x: tf.Tensor4D,
  w1: tf.Tensor4D,
  b1: tf.Tensor1D,
  w2: tf.Tensor4D,
  w3: tf.Tensor4D,
): tf.Scalar {
  const encoded1 = tf.relu(tf.add(tf.conv2d(x, w1, 2, 'same'), b1));
  const pooled = tf.maxPool(encoded1 as tf.Tensor4D, 2, 2, 'valid');
  const code = tf.tanh(tf.conv2d(pooled, w2, 4, 'same'));
  const decoded = tf.sigmoid(
    tf.conv2dTranspose(code as tf.Tensor4D, w3, [2, 32, 32, 3], 16, 'same'),
  );
  return tf.mean(tf.square(tf.sub(decoded, x)));
}

describe('autoencoder on wasm matches cpu', () => {
  before(prepareBackends);

  test('[2,32,32,3] autoencoder: loss and gradients of every weight',
    async () => {
      await assertWasmMatchesCpu(
        () => {
          const x = tf.abs(randomTensor([2, 32, 32, 3], 1)) as tf.Tensor4D;
          const weights = [
            tf.mul(randomTensor([3, 3, 3, 8], 2), 0.5),
            tf.mul(randomTensor([8], 3), 0.1),
            tf.mul(randomTensor([7, 7, 8, 16], 4), 0.1),
            tf.mul(randomTensor([16, 16, 3, 16], 5), 0.1),
          ];
          const lossOf = (...w: tf.Tensor[]) =>
            reconstructionLoss(
              x,
              w[0] as tf.Tensor4D,
              w[1] as tf.Tensor1D,
              w[2] as tf.Tensor4D,
              w[3] as tf.Tensor4D,
            );
          const { value, grads } = tf.valueAndGrads(lossOf)(weights);
          return [value, ...grads];
        },
        ['loss', 'dW1', 'dB1', 'dW2', 'dW3'],
      );
    });
});
