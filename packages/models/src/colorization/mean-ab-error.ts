/**
 * A colorization metric: the mean Euclidean distance in the ab plane
 * between predicted and true colours, sqrt(da^2 + db^2) averaged over
 * pixels, in Lab units. Lightness is not compared: the model is given it.
 */
import * as tf from '@tensorflow/tfjs-core';

import { ShapeError } from '@hourglass/common';

/**
 * The mean ab error of predicted ab [n, h, w, 2] against true ab of the
 * same shape: a scalar, 0 for a perfect colorization.
 */
export function computeMeanAbError(
  predicted: tf.Tensor4D,
  truth: tf.Tensor4D,
): tf.Scalar {
  const isSameShape =
    predicted.rank === truth.rank &&
    truth.shape.every((size, i) => size === predicted.shape[i]);
  if (truth.rank !== 4 || truth.shape[3] !== 2 || !isSameShape) {
    const expected = `[${predicted.shape.slice(0, 3).join(', ')}, 2]`;
    throw new ShapeError('computeMeanAbError', expected, truth.shape);
  }

  return tf.tidy(() =>
    tf.mean(tf.sqrt(tf.sum(tf.squaredDifference(predicted, truth), 3))),
  ) as tf.Scalar;
}

