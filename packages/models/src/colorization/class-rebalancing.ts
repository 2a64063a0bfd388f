/**
 * Class rebalancing, after Zhang, Isola and Efros (2016, section 2.2,
 * equation 4). Natural images are mostly desaturated, so a plain
 * cross-entropy learns to predict grey. Each pixel's loss is weighted by
 * w at its nearest bin, with
 *
 *   w ∝ ((1 - lambda) p~ + lambda / Q)^-1,   E_p~[w] = sum_q p~_q w_q = 1,
 *
 * where p~ is the empirical distribution of the training set's ab bins
 * smoothed by a Gaussian over the bin centres (sigma = 5) and mixed with
 * the uniform distribution (lambda = 0.5). Rare, saturated bins weigh
 * more. The counting runs once per training set, in plain JavaScript,
 * at the images' full resolution as in the paper (the loss then reads
 * the weights at the nearest bins of its block-averaged targets).
 */
import { ValidationError } from '@hourglass/common';
import type { ColorizationSpec } from '@hourglass/specs';

import type { AbBins } from './ab-bins.ts';
import { computeAbBins, findNearestAbBin } from './ab-bins.ts';
import { convertLinearRgbToLab, decodeSrgbChannel } from './cielab.ts';

/** The paper's rebalancing settings: sigma 5, lambda 0.5. */
export interface RebalancingOptions {
  /** The smoothing Gaussian's standard deviation in ab units; 5. */
  sigma: number;
  /** The weight of the uniform distribution in the mix, in (0, 1]; 0.5. */
  lambda: number;
}

/** The paper's values. */
export const DEFAULT_REBALANCING: Readonly<RebalancingOptions> =
  Object.freeze({ sigma: 5, lambda: 0.5 });

/** Where `countAbBins` reads its pixels from, and how. */
export interface CountAbBinsOptions {
  /**
   * Multiplies every stored value to give a channel in [0, 1]: 1 / 255
   * for bytes, 1 (the default) for floats already in [0, 1].
   */
  pixelScale?: number;
  /** Counts to add to (length Q), for counting image sets in parts. */
  counts?: Float64Array;
}

/**
 * Counts the nearest ab bin of every pixel of `pixels`, RGB values
 * interleaved pixel after pixel (HWC images one after another, as the
 * data package stores them): a histogram of length Q.
 */
export function countAbBins(
  pixels: ArrayLike<number>,
  bins: AbBins,
  options: CountAbBinsOptions = {},
): Float64Array {
  const scale = options.pixelScale ?? 1;
  const counts = options.counts ?? new Float64Array(bins.count);
  if (counts.length !== bins.count || pixels.length % 3 !== 0) {
    const got = `${pixels.length} values and ${counts.length} counts`;
    throw new ValidationError('ab bin counts', [
      {
        path: 'pixels',
        message: `expected RGB triples and ${bins.count} counts, got ${got}`,
      },
    ]);
  }

  // Bytes take their linear value from a 256-entry table instead of a
  // power per channel.
  const byteTable =
    pixels instanceof Uint8Array || pixels instanceof Uint8ClampedArray
      ? Float64Array.from({ length: 256 }, (_, v) =>
          decodeSrgbChannel(v * scale),
        )
      : undefined;
  const linear = (value: number) =>
    byteTable?.[value] ?? decodeSrgbChannel(value * scale);

  for (let i = 0; i < pixels.length; i += 3) {
    const [, a, b] = convertLinearRgbToLab(
      linear(pixels[i]!),
      linear(pixels[i + 1]!),
      linear(pixels[i + 2]!),
    );
    const bin = findNearestAbBin(bins, a, b);
    counts[bin] = counts[bin]! + 1;
  }
  return counts;
}

/**
 * Smooths a distribution over the bins with a Gaussian of the distance
 * between bin centres: p~_q ∝ sum_r p_r exp(-|c_q - c_r|^2 / (2 sigma^2)),
 * normalized to sum to 1. `distribution` need not be normalized.
 */
export function smoothAbDistribution(
  distribution: ArrayLike<number>,
  bins: AbBins,
  sigma: number,
): Float64Array {
  const { count, centers } = bins;
  const twoSigmaSquared = 2 * sigma ** 2;
  const smoothed = new Float64Array(count);
  for (let q = 0; q < count; q += 1) {
    let sum = 0;
    for (let r = 0; r < count; r += 1) {
      const da = centers[2 * q]! - centers[2 * r]!;
      const db = centers[2 * q + 1]! - centers[2 * r + 1]!;
      const kernel = Math.exp(-(da * da + db * db) / twoSigmaSquared);
      sum += distribution[r]! * kernel;
    }
    smoothed[q] = sum;
  }

  const total = smoothed.reduce((acc, value) => acc + value, 0);
  return smoothed.map((value) => value / total);
}

/**
 * The rebalancing weights [Q] from bin counts of the training set (from
 * `countAbBins`): smoothed, mixed with uniform, inverted and scaled so
 * that their expectation under the smoothed distribution is 1.
 */
export function computeRebalancingWeights(
  counts: ArrayLike<number>,
  bins: AbBins,
  options: RebalancingOptions = DEFAULT_REBALANCING,
): Float32Array {
  const { sigma, lambda } = options;
  let total = 0;
  for (let q = 0; q < counts.length; q += 1) total += counts[q]!;
  const issues = [];
  if (counts.length !== bins.count || !(total > 0)) {
    const message = `expected ${bins.count} counts with a positive sum`;
    issues.push({ path: 'counts', message });
  }
  if (!(lambda > 0 && lambda <= 1)) {
    issues.push({ path: 'lambda', message: `expected (0, 1], got ${lambda}` });
  }
  if (!(sigma > 0)) {
    issues.push({ path: 'sigma', message: `expected > 0, got ${sigma}` });
  }
  if (issues.length > 0) throw new ValidationError('rebalancing', issues);

  const smoothed = smoothAbDistribution(counts, bins, sigma);
  const inverse = smoothed.map(
    (p) => 1 / ((1 - lambda) * p + lambda / bins.count),
  );
  const expectation = smoothed.reduce((sum, p, q) => sum + p * inverse[q]!, 0);
  return Float32Array.from(inverse, (value) => value / expectation);
}

/** Weights of 1 for every bin: the unweighted cross-entropy. */
export function createUniformRebalancingWeights(bins: AbBins): Float32Array {
  return new Float32Array(bins.count).fill(1);
}

/**
 * The rebalancing weights `spec` asks for (its grid, sigma and lambda),
 * from a training set's pixels: RGB triples, bytes with pixelScale
 * 1 / 255 or floats in [0, 1]. What a training run computes once and
 * passes to createColorizationModel.
 */
export function computeColorizationWeights(
  spec: Pick<
    ColorizationSpec,
    'gridSize' | 'binSet' | 'rebalancingSigma' | 'rebalancingLambda'
  >,
  pixels: ArrayLike<number>,
  pixelScale = 1,
): Float32Array {
  const bins = computeAbBins(spec.gridSize, spec.binSet);
  const counts = countAbBins(pixels, bins, { pixelScale });
  return computeRebalancingWeights(counts, bins, {
    sigma: spec.rebalancingSigma,
    lambda: spec.rebalancingLambda,
  });
}
