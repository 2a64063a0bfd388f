/**
 * How reproducible each recording site's mean response is: the ceiling
 * that a model's explained variance is divided by.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor3D } from '@tensorflow/tfjs-core';

import { correlateColumns } from './correlation.ts';
import { spearmanBrown } from './spearman-brown.ts';
import {
  averageRepetitions,
  checkTrials,
  drawHalfSplits,
} from './split-halves.ts';

/** Per-site split-half statistics. */
export interface SiteReliability {
  /** Pearson r across images between the two halves' means, averaged. */
  halfCorrelation: Float32Array;
  /** halfCorrelation corrected to the full set of repetitions. */
  reliability: Float32Array;
}

/** Options for the random half splits. */
export interface SplitHalfOptions {
  /** Random half splits to average over; 10 by default. */
  splits?: number;
  seed?: number;
}

/**
 * Split-half reliability of each site (as in Yamins et al. 2014 and
 * Majaj et al. 2015): the repetitions are split at random into two
 * halves, each half is averaged, and the two half-means are correlated
 * across images; the correlation is averaged over `splits` splits and
 * corrected by Spearman-Brown to the reliability of the mean over all
 * repetitions. trials is [repetitions, images, sites].
 */
export function computeSiteReliability(
  trials: Tensor3D,
  options: SplitHalfOptions = {},
): SiteReliability {
  checkTrials('computeSiteReliability', trials);
  const sites = trials.shape[2];
  const splits = drawHalfSplits(
    trials.shape[0],
    options.splits ?? 10,
    options.seed ?? 0,
  );

  const halfCorrelation = new Float32Array(sites);
  for (const [first, second] of splits) {
    const r = tf.tidy(() =>
      correlateColumns(
        averageRepetitions(trials, first),
        averageRepetitions(trials, second),
      ),
    );
    r.forEach((value, site) => {
      halfCorrelation[site]! += value / splits.length;
    });
  }
  const reliability = halfCorrelation.map((r) => spearmanBrown(r));
  return { halfCorrelation, reliability };
}
