/**
 * The autoencoders' objectives: the L2 reconstruction error, and for the
 * sparse variants an L1 penalty on hidden activations (as in Olshausen
 * and Field's sparse coding, where the cost is reconstruction error plus
 * lambda times a sparseness term, here the absolute value).
 */
import * as tf from '@tensorflow/tfjs-core';

import type { L1PenaltySpec } from '@hourglass/specs';

import { tidyResult } from './tidy-result.ts';
import type { LossResult } from './vision-model.ts';

/** The metric name of the fraction of near-zero hidden units. */
export const NEAR_ZERO_FRACTION_METRIC = 'sparsity/near_zero_fraction';

/**
 * Mean squared error over every pixel and channel of the batch, so the
 * loss does not scale with image or batch size and learning rates carry
 * over. output and x are [n, h, w, 3].
 */
export function meanSquaredError(output: tf.Tensor, x: tf.Tensor): tf.Scalar {
  return tf.mean(tf.squaredDifference(output, x));
}

/**
 * The L1 sparsity term: mean |h| over every unit, position and image of
 * the hidden activations h (any shape). Averaging instead of summing
 * keeps lambda meaningful across layer sizes.
 */
export function l1Sparsity(hidden: tf.Tensor): tf.Scalar {
  return tf.mean(tf.abs(hidden));
}

/** The fraction of hidden activations with |h| < threshold, in [0, 1]. */
export function nearZeroFraction(hidden: tf.Tensor, threshold: number): tf.Scalar {
  return tf.mean(tf.cast(tf.less(tf.abs(hidden), threshold), 'float32'));
}

/**
 * The autoencoder loss: 'reconstruction' (mean squared error) alone, or,
 * with a penalty, total = reconstruction + weight * sparsity, where
 * 'sparsity' is the unweighted L1 term on `hidden`, and the metric
 * 'sparsity/near_zero_fraction'. Every tensor made here but the result
 * is freed.
 */
export function computeAutoencoderLoss(
  output: tf.Tensor,
  x: tf.Tensor,
  sparsity?: { hidden: tf.Tensor; penalty: L1PenaltySpec },
): LossResult {
  return tidyResult((): LossResult => {
    const reconstruction = meanSquaredError(output, x);
    if (sparsity === undefined) {
      return { total: reconstruction, terms: { reconstruction } };
    }

    const { hidden, penalty } = sparsity;
    const l1 = l1Sparsity(hidden);
    const total = tf.add(reconstruction, tf.mul(l1, penalty.weight)) as tf.Scalar;
    const fraction = nearZeroFraction(hidden, penalty.zeroThreshold);
    return {
      total,
      terms: { reconstruction, sparsity: l1 },
      metrics: { [NEAR_ZERO_FRACTION_METRIC]: fraction },
    };
  });
}
