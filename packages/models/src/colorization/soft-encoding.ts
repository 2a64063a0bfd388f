/**
 * Soft encoding of a true ab value into the Q bins, as Zhang, Isola and
 * Efros (2016, section 2.1) build their target Z: the k = 5 bins nearest
 * to the value get weights from a Gaussian kernel of its distance to
 * their centres (sigma = 5), normalized to sum to 1; every other bin
 * gets 0. The nearest bin always carries the largest weight, and the
 * class rebalancing reads its weight at that bin.
 *
 * The search runs in JavaScript over the bins' lattice, a few grid
 * points around each value, rather than as tensor ops over all Q bins:
 * on the wasm backend the dense version ([pixels, Q] distances, top-k,
 * masks) cost most of a training step, and this one is exact, gives the
 * same targets on every backend, and only reads the small ab image back.
 */
import * as tf from '@tensorflow/tfjs-core';

import { ShapeError } from '@hourglass/common';

import type { AbBins } from './ab-bins.ts';

/** The paper's soft-encoding settings: 5 neighbours, sigma 5. */
export interface SoftEncodingOptions {
  /** How many nearest bins share the weight; 5 in the paper. */
  neighbors: number;
  /** The Gaussian kernel's standard deviation in ab units; 5. */
  sigma: number;
}

/** The paper's values. */
export const DEFAULT_SOFT_ENCODING: Readonly<SoftEncodingOptions> =
  Object.freeze({ neighbors: 5, sigma: 5 });

/** The non-zero part of one soft-encoded ab value. */
export interface SoftEncoding {
  /** Bin indices, nearest first (ties by index). */
  indices: Int32Array;
  /** Their weights, in the same order, summing to 1. */
  weights: Float64Array;
}

/** What `encodeAbTargets` returns; the caller disposes both. */
export interface AbTargets {
  /** Z: soft-encoded targets [n, h, w, Q], each pixel summing to 1. */
  soft: tf.Tensor4D;
  /** The nearest bin of each pixel [n, h, w], int32. */
  nearest: tf.Tensor3D;
}

interface Candidate {
  q: number;
  squared: number;
}

/**
 * Soft-encodes one ab value: its `neighbors` nearest bins weighted by
 * exp(-d^2 / (2 sigma^2)) of their distance d, normalized. A bin exactly
 * as far as the k-th nearest is kept too, so ties do not depend on order.
 */
export function softEncodeAb(
  bins: AbBins,
  a: number,
  b: number,
  options: SoftEncodingOptions = DEFAULT_SOFT_ENCODING,
): SoftEncoding {
  const neighbors = Math.min(options.neighbors, bins.count);
  const nearest = findNearestBins(bins, a, b, neighbors);

  // Relative to the nearest distance, so far-away values do not underflow.
  const closest = nearest[0]?.squared ?? 0;
  const kernel = nearest.map(({ squared }) =>
    Math.exp(-(squared - closest) / (2 * options.sigma ** 2)),
  );
  const total = kernel.reduce((sum, value) => sum + value, 0);
  return {
    indices: Int32Array.from(nearest, ({ q }) => q),
    weights: Float64Array.from(kernel, (value) => value / total),
  };
}

// The `count` bins nearest to (a, b) and any tied with the last, nearest
// first. Searches square rings of grid points around the one (a, b)
// rounds to: every point beyond ring r is at least (r + 0.5) grid steps
// away along some axis, so once the count-th distance is below that,
// nothing farther can come in.
function findNearestBins(
  bins: AbBins,
  a: number,
  b: number,
  count: number,
): Candidate[] {
  const { gridSize, side, offset, lattice, centers } = bins;
  const i0 = Math.round(a / gridSize) + offset;
  const j0 = Math.round(b / gridSize) + offset;
  const isFinitePoint = Number.isFinite(i0) && Number.isFinite(j0);
  const maxRing = isFinitePoint
    ? Math.max(i0, j0, side - 1 - i0, side - 1 - j0, 0)
    : -1;

  const candidates: Candidate[] = [];
  const visit = (i: number, j: number) => {
    if (i < 0 || j < 0 || i >= side || j >= side) return;
    const q = lattice[i * side + j]!;
    if (q < 0) return;
    const da = centers[2 * q]! - a;
    const db = centers[2 * q + 1]! - b;
    candidates.push({ q, squared: da * da + db * db });
  };
  const byDistance = (x: Candidate, y: Candidate) =>
    x.squared - y.squared || x.q - y.q;

  for (let ring = 0; ring <= maxRing; ring += 1) {
    visitRing(i0, j0, ring, visit);
    if (candidates.length < count) continue;
    candidates.sort(byDistance);
    const reach = (ring + 0.5) * gridSize;
    if (candidates[count - 1]!.squared < reach * reach) break;
  }
  if (!isFinitePoint || candidates.length < count) {
    candidates.length = 0;
    for (let q = 0; q < bins.count; q += 1) {
      const da = centers[2 * q]! - a;
      const db = centers[2 * q + 1]! - b;
      candidates.push({ q, squared: da * da + db * db });
    }
  }

  candidates.sort(byDistance);
  const last = candidates[count - 1]?.squared ?? Infinity;
  return candidates.filter(({ squared }) => squared <= last);
}

// Calls `visit` on the grid points at Chebyshev distance `ring` from
// (i0, j0).
function visitRing(
  i0: number,
  j0: number,
  ring: number,
  visit: (i: number, j: number) => void,
): void {
  if (ring === 0) {
    visit(i0, j0);
    return;
  }
  for (let d = -ring; d <= ring; d += 1) {
    visit(i0 - ring, j0 + d);
    visit(i0 + ring, j0 + d);
  }
  for (let d = -ring + 1; d <= ring - 1; d += 1) {
    visit(i0 + d, j0 - ring);
    visit(i0 + d, j0 + ring);
  }
}

/**
 * Soft-encodes every pixel of `ab` [n, h, w, 2]: soft [n, h, w, Q] and
 * nearest [n, h, w], as softEncodeAb does one value. Reads `ab` back
 * from the backend (n * h * w * 2 floats).
 */
export function encodeAbTargets(
  ab: tf.Tensor4D,
  bins: AbBins,
  options: SoftEncodingOptions = DEFAULT_SOFT_ENCODING,
): AbTargets {
  const [n = 0, height = 0, width = 0, channels = 0] = ab.shape;
  if (ab.rank !== 4 || channels !== 2) {
    throw new ShapeError('encodeAbTargets', '[n, h, w, 2]', ab.shape);
  }

  const values = ab.dataSync();
  const pixelCount = n * height * width;
  const soft = new Float32Array(pixelCount * bins.count);
  const nearest = new Int32Array(pixelCount);
  for (let pixel = 0; pixel < pixelCount; pixel += 1) {
    const a = values[2 * pixel]!;
    const b = values[2 * pixel + 1]!;
    const { indices, weights } = softEncodeAb(bins, a, b, options);
    indices.forEach((q, k) => {
      soft[pixel * bins.count + q] = weights[k]!;
    });
    nearest[pixel] = indices[0]!;
  }

  return {
    soft: tf.tensor4d(soft, [n, height, width, bins.count]),
    nearest: tf.tensor3d(nearest, [n, height, width], 'int32'),
  };
}

/** The bin centres [Q, 2] as a tensor, for the tensor ops of this model. */
export function createAbBinCentersTensor(bins: AbBins): tf.Tensor2D {
  return tf.tensor2d(bins.centers, [bins.count, 2]);
}
