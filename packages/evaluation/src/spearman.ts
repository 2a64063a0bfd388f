/**
 * Spearman's rank correlation, for comparing dissimilarity matrices whose
 * scales need not be linearly related (Kriegeskorte, Mur and Bandettini
 * 2008 recommend rank correlation for RDMs).
 */
import { ShapeError } from '@hourglass/common';

import { pearsonCorrelation } from './correlation.ts';

/**
 * 1-based ranks, ties sharing the mean of the ranks they span. Sorts a
 * copy natively and finds each value's run of equals by binary search,
 * which stays fast for the millions of pairs of an image-level RDM.
 */
export function rankWithTies(values: ArrayLike<number>): Float64Array {
  const sorted = Float64Array.from(values).sort();
  const ranks = new Float64Array(values.length);
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i]!;
    const first = lowerBound(sorted, value);
    const last = upperBound(sorted, value);
    ranks[i] = (first + last) / 2 + 1;
  }
  return ranks;
}

/**
 * Spearman's rho: Pearson's r between the tie-averaged ranks of a and b.
 * Pairs where either value is NaN are left out.
 */
export function spearmanCorrelation(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): number {
  if (a.length !== b.length) {
    throw new ShapeError('spearmanCorrelation', `[${a.length}]`, [b.length]);
  }
  let kept = 0;
  for (let i = 0; i < a.length; i += 1) {
    if (!Number.isNaN(a[i]) && !Number.isNaN(b[i])) kept += 1;
  }
  const keptA = new Float64Array(kept);
  const keptB = new Float64Array(kept);
  let next = 0;
  for (let i = 0; i < a.length; i += 1) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) continue;
    keptA[next] = a[i]!;
    keptB[next] = b[i]!;
    next += 1;
  }
  return pearsonCorrelation(rankWithTies(keptA), rankWithTies(keptB));
}

/** The first index whose value is >= target in an ascending array. */
function lowerBound(sorted: Float64Array, target: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The last index whose value is <= target in an ascending array. */
function upperBound(sorted: Float64Array, target: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! <= target) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}
