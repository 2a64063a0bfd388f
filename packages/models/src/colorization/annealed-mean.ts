/**
 * Annealed-mean decoding, after Zhang, Isola and Efros (2016, section
 * 2.3, equation 5): the predicted distribution over the ab bins is
 * sharpened to f_T(z) = softmax(log z / T) and its mean over the bin
 * centres is the predicted colour. T = 1 gives the mean (desaturated,
 * sepia-like), T -> 0 the mode (vivid, but patchy); the paper uses
 * T = 0.38.
 */
import * as tf from '@tensorflow/tfjs-core';

import { ShapeError } from '@hourglass/common';

/** The paper's temperature. */
export const DEFAULT_ANNEALING_TEMPERATURE = 0.38;

// Keeps log z finite for bins with zero probability.
const MIN_PROBABILITY = 1e-30;

/**
 * f_T(z) = softmax(log z / T) over the last axis of probabilities z
 * [..., Q]; the result has z's shape and sums to 1 along that axis.
 */
export function annealProbabilities(
  probabilities: tf.Tensor,
  temperature: number,
): tf.Tensor {
  return tf.tidy(() =>
    tf.softmax(
      tf.div(tf.log(tf.maximum(probabilities, MIN_PROBABILITY)), temperature),
    ),
  );
}

/**
 * The annealed mean ab [n, h, w, 2] of logits [n, h, w, Q] over bin
 * centres [Q, 2]. With z = softmax(logits), log z differs from the logits
 * by a constant per pixel, so f_T(z) = softmax(logits / T) exactly.
 */
export function computeAnnealedMeanAb(
  logits: tf.Tensor4D,
  centers: tf.Tensor2D,
  temperature: number = DEFAULT_ANNEALING_TEMPERATURE,
): tf.Tensor4D {
  const [n = 0, height = 0, width = 0, binCount = 0] = logits.shape;
  if (logits.rank !== 4 || binCount !== centers.shape[0]) {
    const expected = `[n, h, w, ${centers.shape[0]}]`;
    throw new ShapeError('computeAnnealedMeanAb', expected, logits.shape);
  }

  return tf.tidy(() => {
    const flat = tf.reshape(logits, [-1, binCount]);
    const annealed = tf.softmax(tf.div(flat, temperature));
    const ab = tf.matMul(annealed as tf.Tensor2D, centers);
    return tf.reshape(ab, [n, height, width, 2]) as tf.Tensor4D;
  });
}
