/**
 * The colorization loss of Zhang, Isola and Efros (2016, equation 2): a
 * multinomial cross-entropy between the soft-encoded true colours Z and
 * the predicted distribution softmax(logits), each pixel weighted by the
 * class-rebalancing weight of its true colour's bin (equation 3, where
 * the bin is argmax_q Z_q, the nearest one):
 *
 *   L = -mean over pixels of v(Z) * sum_q Z_q log softmax(logits)_q.
 *
 * The paper sums over pixels; the mean keeps the loss independent of the
 * image and batch size, so learning rates carry over between them.
 */
import * as tf from '@tensorflow/tfjs-core';

import { ShapeError } from '@hourglass/common';

/**
 * The weighted cross-entropy of logits [n, h, w, Q] against soft targets
 * [n, h, w, Q] with per-pixel weights [n, h, w]: a scalar.
 */
export function computeRebalancedCrossEntropy(
  logits: tf.Tensor4D,
  softTargets: tf.Tensor4D,
  pixelWeights: tf.Tensor3D,
): tf.Scalar {
  const where = 'computeRebalancedCrossEntropy';
  const [n = 0, height = 0, width = 0] = logits.shape;
  const isSameShape = (shape: number[], expected: number[]) =>
    shape.length === expected.length &&
    shape.every((size, i) => size === expected[i]);

  if (logits.rank !== 4 || !isSameShape(softTargets.shape, logits.shape)) {
    const expected = `[${logits.shape.join(', ')}]`;
    throw new ShapeError(where, expected, softTargets.shape);
  }
  const weightShape = [n, height, width];
  if (!isSameShape(pixelWeights.shape, weightShape)) {
    const expected = `[${weightShape.join(', ')}]`;
    throw new ShapeError(where, expected, pixelWeights.shape);
  }

  return tf.tidy(() => {
    const logProbabilities = tf.logSoftmax(logits);
    const perBin = tf.mul(softTargets, logProbabilities);
    const crossEntropy = tf.neg(tf.sum(perBin, 3));
    return tf.mean(tf.mul(crossEntropy, pixelWeights)) as tf.Scalar;
  });
}
