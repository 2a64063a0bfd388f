/**
 * Scores of cross-validated predictions against the measured values,
 * one per column (a site, a stimulus property).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';

import { meanColumns, sumColumns } from './column-sums.ts';
import { correlateColumns } from './correlation.ts';

/** Per-column fit of predictions to measurements. */
export interface HeldOutScores {
  /** Pearson r between prediction and measurement. */
  correlation: Float32Array;
  /** r squared: the explained variance the field usually reports. */
  squaredCorrelation: Float32Array;
  /** 1 - SSE / SST around the measurement's mean; can be negative. */
  coefficientOfDetermination: Float32Array;
}

/**
 * Compares measured [n, m] with predicted values (a row-major [n, m]
 * array or tensor) column by column.
 */
export function scoreHeldOutPredictions(
  measured: Tensor2D,
  predicted: Float32Array | Tensor2D,
): HeldOutScores {
  return tf.tidy(() => {
    const prediction = predicted instanceof Float32Array
      ? tf.tensor2d(predicted, measured.shape)
      : predicted;
    const correlation = correlateColumns(measured, prediction);
    const error = tf.sub(measured, prediction);
    const residual = sumColumns(tf.square(error) as Tensor2D);
    const deviation = tf.sub(measured, meanColumns(measured));
    const total = sumColumns(tf.square(deviation) as Tensor2D);
    const determination = tf.sub(1, tf.div(residual, total));
    return {
      correlation,
      squaredCorrelation: correlation.map((r) => r * r),
      coefficientOfDetermination: determination.dataSync() as Float32Array,
    };
  });
}
