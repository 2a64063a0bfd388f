/**
 * The noise ceiling of RSA with neural data: how well the neural RDM
 * agrees with itself across independent halves of the repetitions.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';

import { averageGroups } from './group-average.ts';
import { compareRdms, computeRdm } from './rdm.ts';
import type { SplitHalfOptions } from './site-reliability.ts';
import { spearmanBrown } from './spearman-brown.ts';
import {
  averageRepetitions,
  checkTrials,
  drawHalfSplits,
} from './split-halves.ts';

/** Options of the ceiling; `groups` makes it object-level. */
export interface RdmCeilingOptions extends SplitHalfOptions {
  /** A label per image: average each label's images before the RDM. */
  groups?: readonly (string | number)[];
}

/** Split-half agreement of the neural RDM. */
export interface RdmCeiling {
  /** Spearman r between the two halves' RDMs, one per split. */
  halfCorrelations: number[];
  /** Their mean. */
  meanHalfCorrelation: number;
  /** The mean corrected by Spearman-Brown to all repetitions. */
  ceiling: number;
}

/**
 * Split-half ceiling of a neural RDM: repetitions are split at random
 * into halves, each half's mean responses give an RDM, the two RDMs are
 * compared by Spearman correlation, and the mean over `splits` seeded
 * splits is corrected by Spearman-Brown, since the full data average
 * twice as many repetitions as either half. trials is [repetitions,
 * images, sites].
 */
export function computeRdmCeiling(
  trials: Tensor3D,
  options: RdmCeilingOptions = {},
): RdmCeiling {
  checkTrials('computeRdmCeiling', trials);
  const splits = drawHalfSplits(
    trials.shape[0],
    options.splits ?? 10,
    options.seed ?? 0,
  );

  const halfCorrelations = splits.map(([first, second]) => {
    const rdms = [first, second].map((half) =>
      tf.tidy(() => computeRdm(responsesOf(trials, half, options.groups))),
    ) as [Tensor2D, Tensor2D];
    const r = compareRdms(rdms[0], rdms[1]);
    tf.dispose(rdms);
    return r;
  });
  const meanHalfCorrelation =
    halfCorrelations.reduce((sum, r) => sum + r, 0) / halfCorrelations.length;
  return {
    halfCorrelations,
    meanHalfCorrelation,
    ceiling: spearmanBrown(meanHalfCorrelation),
  };
}

/** The mean over some repetitions, averaged by group when given. */
export function responsesOf(
  trials: Tensor3D,
  repetitions: Int32Array | undefined,
  groups: readonly (string | number)[] | undefined,
): Tensor2D {
  const mean = averageRepetitions(trials, repetitions);
  if (groups === undefined) return mean;
  const averaged = averageGroups(mean, groups).responses;
  mean.dispose();
  return averaged;
}
