/**
 * Repeated presentations of each stimulus: averaging them, and splitting
 * them into two halves to measure how reproducible the data are.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import { ShapeError, ValidationError, permutation } from '@hourglass/common';

import { multiplyMatrices } from './mat-mul.ts';

/** Two disjoint, equally large sets of repetition indices. */
export type HalfSplit = readonly [Int32Array, Int32Array];

/**
 * The mean response over repetitions: trials [repetitions, images,
 * sites] (the layout of the HvM `time_averaged` arrays) to [images,
 * sites]; only the repetitions in `indices` when given.
 */
export function averageRepetitions(
  trials: Tensor3D,
  indices?: Int32Array,
): Tensor2D {
  checkTrials('averageRepetitions', trials);
  const [repetitions, images, sites] = trials.shape;
  const chosen = indices ?? Int32Array.from({ length: repetitions }, (_, r) => r);

  // A weighted sum over repetitions is one product with a weight row;
  // gathering the repetitions first measured far slower on wasm.
  const weights = new Float32Array(repetitions);
  chosen.forEach((repetition) => {
    weights[repetition]! += 1 / chosen.length;
  });
  return tf.tidy(() => {
    const flat = tf.reshape(trials, [repetitions, images * sites]) as Tensor2D;
    const mean = multiplyMatrices(tf.tensor2d(weights, [1, repetitions]), flat);
    return tf.reshape(mean, [images, sites]) as Tensor2D;
  });
}

/**
 * `splits` random half splits of `repetitions` indices, seeded: each half
 * has floor(repetitions / 2) of them (one is left out when the count is
 * odd, so both halves average the same number).
 */
export function drawHalfSplits(
  repetitions: number,
  splits: number,
  seed: number,
): HalfSplit[] {
  if (!Number.isInteger(repetitions) || repetitions < 2) {
    throw new ValidationError('split-half reliability', [
      {
        path: 'repetitions',
        message: `expected at least 2 repetitions, got ${repetitions}`,
      },
    ]);
  }
  if (!Number.isInteger(splits) || splits < 1) {
    throw new ValidationError('split-half reliability', [
      { path: 'splits', message: `expected an integer >= 1, got ${splits}` },
    ]);
  }
  const half = Math.floor(repetitions / 2);
  return Array.from({ length: splits }, (_, split) => {
    const order = Int32Array.from(permutation(repetitions, seed + split));
    return [order.slice(0, half), order.slice(half, 2 * half)] as const;
  });
}

/** Checks trials [repetitions >= 2, images, sites]. */
export function checkTrials(where: string, trials: Tensor3D): void {
  if (trials.rank !== 3 || trials.shape[0] < 2) {
    throw new ShapeError(
      where,
      'trials [repetitions >= 2, images, sites]',
      trials.shape,
    );
  }
}
