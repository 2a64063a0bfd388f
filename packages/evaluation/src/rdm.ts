/**
 * Representational dissimilarity matrices (Kriegeskorte, Mur and
 * Bandettini 2008, "Representational similarity analysis"): how
 * differently a representation responds to each pair of stimuli.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { ShapeError } from '@hourglass/common';

import { multiplyMatrices } from './mat-mul.ts';
import { spearmanCorrelation } from './spearman.ts';

/**
 * The correlation-distance RDM of responses [stimuli, d] (one response
 * vector per stimulus: a layer's features, or sites' mean responses):
 * 1 - Pearson r between the two vectors, [stimuli, stimuli]. A stimulus
 * whose vector is constant has NaN distances.
 */
export function computeRdm(responses: Tensor2D): Tensor2D {
  if (responses.rank !== 2 || responses.shape[1] < 2) {
    throw new ShapeError('computeRdm', '[stimuli, d >= 2]', responses.shape);
  }
  return tf.tidy(() => {
    const centered = tf.sub(responses, tf.mean(responses, 1, true));
    const norms = tf.sqrt(tf.sum(tf.square(centered), 1, true));
    const unit = tf.div(centered, norms) as Tensor2D;
    const correlation = multiplyMatrices(unit, unit, false, true);
    return tf.sub(1, correlation);
  });
}

/**
 * The RDM of category membership: 0 for two stimuli of the same
 * category, 1 otherwise (the "ideal categorical" model RDM).
 */
export function computeCategoryRdm(
  categories: readonly (string | number)[],
): Tensor2D {
  const n = categories.length;
  const values = new Float32Array(n * n);
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j < n; j += 1) {
      values[i * n + j] = categories[i] === categories[j] ? 0 : 1;
    }
  }
  return tf.tensor2d(values, [n, n]);
}

/** The entries above the diagonal of a square matrix, row by row. */
export function upperTriangle(matrix: Tensor2D): Float32Array {
  const [n, columns] = matrix.shape;
  if (matrix.rank !== 2 || n !== columns) {
    throw new ShapeError('upperTriangle', '[n, n]', matrix.shape);
  }
  const values = matrix.dataSync();
  const upper = new Float32Array((n * (n - 1)) / 2);
  let next = 0;
  for (let i = 0; i < n; i += 1) {
    upper.set(values.subarray(i * n + i + 1, (i + 1) * n), next);
    next += n - i - 1;
  }
  return upper;
}

/**
 * Spearman's rank correlation between the upper triangles of two RDMs of
 * the same stimuli (diagonal and its mirror image left out, pairs with a
 * NaN distance skipped).
 */
export function compareRdms(a: Tensor2D, b: Tensor2D): number {
  if (a.shape.join() !== b.shape.join()) {
    throw new ShapeError('compareRdms', `[${a.shape}] like the first`, b.shape);
  }
  return spearmanCorrelation(upperTriangle(a), upperTriangle(b));
}
