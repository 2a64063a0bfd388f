/**
 * How Gabor-like a learned filter is: the fraction of its variance that
 * the best-fitting 2-D Gabor explains. Filters of sparse autoencoders on
 * natural images should score high, like Olshausen and Field's (1996)
 * sparse-coding bases; untrained or noise-like filters score low.
 */
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { ShapeError } from '@hourglass/common';

import { renderGaborPair } from './gabor.ts';
import type { GaborParameters } from './gabor.ts';
import { median } from './neural-fit.ts';

/** The best Gabor found for one kernel. */
export interface GaborFit {
  parameters: GaborParameters;
  /** 1 - SSE / SST with a least-squares gain and offset per channel. */
  varianceExplained: number;
}

/** Scores of a whole first layer. */
export interface GaborScores {
  /** One per output channel (kernel). */
  scores: Float32Array;
  median: number;
  fits: GaborFit[];
}

/** Shape parameters searched over; the phase is solved, not searched. */
type Shape = Omit<GaborParameters, 'phase'>;

/** Grid points refined further, best first. */
const STARTS_REFINED = 3;

/** Nelder-Mead evaluations allowed per start. */
const REFINEMENT_EVALUATIONS = 400;

/**
 * Fits one kernel, values [h, w, channels] row-major (channels last). The
 * model is a single Gabor shape shared by the channels, each channel with
 * its own least-squares gain and offset (so an RGB kernel may weight its
 * colours freely); the phase is solved in closed form at every shape (a
 * 2 x 2 generalized eigenproblem over the even/odd pair), the other
 * parameters by a coarse grid over orientation, frequency, envelope
 * widths and centre, then Nelder-Mead from the best grid points.
 */
export function fitGabor(
  kernel: ArrayLike<number>,
  height: number,
  width: number,
  channels = 1,
): GaborFit {
  if (kernel.length !== height * width * channels) {
    throw new ShapeError(
      'fitGabor',
      `${height * width * channels} values [${height}, ${width}, ${channels}]`,
      [kernel.length],
    );
  }
  const target = centerChannels(kernel, height * width, channels);
  if (target.totalVariance === 0) {
    const flat = gridShapes(height, width)[0]!;
    return { parameters: { ...flat, phase: 0 }, varianceExplained: 0 };
  }

  const evaluate = (shape: Shape) => scoreShape(shape, target, height, width);
  const ranked = gridShapes(height, width)
    .map((shape) => ({ shape, score: evaluate(shape).varianceExplained }))
    .sort((a, b) => b.score - a.score)
    .slice(0, STARTS_REFINED);

  let best = evaluate(ranked[0]!.shape);
  for (const start of ranked) {
    const refined = refine(start.shape, evaluate, height, width);
    if (refined.varianceExplained > best.varianceExplained) best = refined;
  }
  return best;
}

/**
 * Gabor scores of first-layer kernels [kh, kw, inChannels, outChannels]:
 * one fit per output channel, and the median over them.
 */
export function scoreGaborKernels(kernels: Tensor4D): GaborScores {
  if (kernels.rank !== 4) {
    throw new ShapeError(
      'scoreGaborKernels',
      '[kh, kw, inChannels, outChannels]',
      kernels.shape,
    );
  }
  const [height, width, channels, outputs] = kernels.shape;
  const values = kernels.dataSync();
  const size = height * width * channels;

  const fits = Array.from({ length: outputs }, (_, output) => {
    const kernel = new Float64Array(size);
    for (let i = 0; i < size; i += 1) kernel[i] = values[i * outputs + output]!;
    return fitGabor(kernel, height, width, channels);
  });
  const scores = Float32Array.from(fits, (fit) => fit.varianceExplained);
  return { scores, median: median(Array.from(scores)), fits };
}

interface CenteredKernel {
  /** channels x pixels, each channel minus its mean. */
  channels: Float64Array[];
  totalVariance: number;
}

function centerChannels(
  kernel: ArrayLike<number>,
  pixels: number,
  channels: number,
): CenteredKernel {
  const centered: Float64Array[] = [];
  let totalVariance = 0;
  for (let c = 0; c < channels; c += 1) {
    const values = new Float64Array(pixels);
    let mean = 0;
    for (let p = 0; p < pixels; p += 1) {
      values[p] = kernel[p * channels + c]!;
      mean += values[p]!;
    }
    mean /= pixels;
    for (let p = 0; p < pixels; p += 1) {
      values[p]! -= mean;
      totalVariance += values[p]! ** 2;
    }
    centered.push(values);
  }
  // Float noise in a constant kernel is not structure.
  const isFlat = !(totalVariance > 1e-20);
  return { channels: centered, totalVariance: isFlat ? 0 : totalVariance };
}

/**
 * Variance explained by the best phase of one shape. With the pair
 * (even, odd) centred, a phase is a direction (a, b) and the explained
 * sum of squares is (a, b) A (a, b)^T / (a, b) B (a, b)^T, where
 * A = sum over channels of (pair . y_c)(pair . y_c)^T and B is the pair's
 * Gram matrix: its maximum is the larger root of det(A - mu B) = 0.
 */
function scoreShape(
  shape: Shape,
  target: CenteredKernel,
  height: number,
  width: number,
): GaborFit {
  const { even, odd } = renderGaborPair(shape, height, width);
  const pixels = even.length;
  let meanEven = 0;
  let meanOdd = 0;
  for (let p = 0; p < pixels; p += 1) {
    meanEven += even[p]!;
    meanOdd += odd[p]!;
  }
  meanEven /= pixels;
  meanOdd /= pixels;

  let bEE = 0;
  let bEO = 0;
  let bOO = 0;
  for (let p = 0; p < pixels; p += 1) {
    const e = even[p]! - meanEven;
    const o = odd[p]! - meanOdd;
    bEE += e * e;
    bEO += e * o;
    bOO += o * o;
  }
  let aEE = 0;
  let aEO = 0;
  let aOO = 0;
  for (const y of target.channels) {
    let pe = 0;
    let po = 0;
    for (let p = 0; p < pixels; p += 1) {
      pe += even[p]! * y[p]!;
      po += odd[p]! * y[p]!;
    }
    aEE += pe * pe;
    aEO += pe * po;
    aOO += po * po;
  }

  const [explained, a, b] = maximizeRatio(aEE, aEO, aOO, bEE, bEO, bOO);
  return {
    // cos(phase) even - sin(phase) odd is proportional to a even + b odd.
    parameters: { ...shape, phase: Math.atan2(-b, a) },
    varianceExplained: Math.max(0, explained / target.totalVariance),
  };
}

/**
 * max over (a, b) of the ratio of quadratic forms [A] / [B], and the
 * maximizing direction. A nearly singular B (the odd part vanishes at
 * frequency 0) falls back to the better single basis vector.
 */
function maximizeRatio(
  aEE: number,
  aEO: number,
  aOO: number,
  bEE: number,
  bEO: number,
  bOO: number,
): [number, number, number] {
  const determinant = bEE * bOO - bEO * bEO;
  if (determinant <= 1e-12 * (bEE + bOO) ** 2) {
    const evenOnly = bEE > 0 ? aEE / bEE : 0;
    const oddOnly = bOO > 0 ? aOO / bOO : 0;
    return evenOnly >= oddOnly ? [evenOnly, 1, 0] : [oddOnly, 0, 1];
  }
  // det(A - mu B) = 0: determinant mu^2 - linear mu + constant = 0.
  const linear = aEE * bOO + aOO * bEE - 2 * aEO * bEO;
  const constant = aEE * aOO - aEO * aEO;
  const discriminant = Math.max(0, linear * linear - 4 * determinant * constant);
  const mu = (linear + Math.sqrt(discriminant)) / (2 * determinant);
  // A null vector of A - mu B, from whichever row is better conditioned.
  const row1: [number, number] = [aEE - mu * bEE, aEO - mu * bEO];
  const row2: [number, number] = [aEO - mu * bEO, aOO - mu * bOO];
  const row = Math.hypot(...row1) >= Math.hypot(...row2) ? row1 : row2;
  return [mu, -row[1], row[0]];
}

/** The coarse grid of shapes, scaled to the kernel size. */
function gridShapes(height: number, width: number): Shape[] {
  const size = Math.max(height, width);
  const orientations = Array.from({ length: 12 }, (_, i) => (i * Math.PI) / 12);
  const frequencies = [0.03, 0.08, 0.13, 0.19, 0.26, 0.35, 0.45];
  const sigmas = [0.12, 0.22, 0.4].map((fraction) => fraction * size);
  const offsets = [-0.2, 0, 0.2].map((fraction) => fraction * size);
  const shapes: Shape[] = [];
  for (const orientation of orientations) {
    for (const frequency of frequencies) {
      for (const sigmaAlong of sigmas) {
        for (const sigmaAcross of sigmas) {
          for (const centerX of offsets) {
            for (const centerY of offsets) {
              shapes.push({
                orientation,
                frequency,
                sigmaAlong,
                sigmaAcross,
                centerX,
                centerY,
              });
            }
          }
        }
      }
    }
  }
  return shapes;
}

/**
 * Nelder-Mead (1965) on orientation, log frequency, log envelope widths
 * and centre, from a grid point; parameters are clamped to sensible
 * ranges rather than penalized.
 */
function refine(
  start: Shape,
  evaluate: (shape: Shape) => GaborFit,
  height: number,
  width: number,
): GaborFit {
  const size = Math.max(height, width);
  const toShape = (v: readonly number[]): Shape => ({
    orientation: ((v[0]! % Math.PI) + Math.PI) % Math.PI,
    frequency: clamp(Math.exp(v[1]!), 0.005, 0.5),
    sigmaAlong: clamp(Math.exp(v[2]!), 0.3, 2 * size),
    sigmaAcross: clamp(Math.exp(v[3]!), 0.3, 2 * size),
    centerX: clamp(v[4]!, -width / 2, width / 2),
    centerY: clamp(v[5]!, -height / 2, height / 2),
  });
  const cost = (v: readonly number[]): number =>
    -evaluate(toShape(v)).varianceExplained;

  const origin = [
    start.orientation,
    Math.log(start.frequency),
    Math.log(start.sigmaAlong),
    Math.log(start.sigmaAcross),
    start.centerX,
    start.centerY,
  ];
  const steps = [0.15, 0.3, 0.3, 0.3, 0.1 * size, 0.1 * size];
  const best = minimizeNelderMead(cost, origin, steps, REFINEMENT_EVALUATIONS);
  return evaluate(toShape(best));
}

/** A plain Nelder-Mead simplex search; returns the best point found. */
function minimizeNelderMead(
  cost: (v: readonly number[]) => number,
  origin: readonly number[],
  steps: readonly number[],
  maxEvaluations: number,
): number[] {
  const dimensions = origin.length;
  let simplex = [origin.slice()];
  for (let i = 0; i < dimensions; i += 1) {
    const vertex = origin.slice();
    vertex[i]! += steps[i]!;
    simplex.push(vertex);
  }
  let values = simplex.map(cost);
  let evaluations = simplex.length;

  while (evaluations < maxEvaluations) {
    const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
    simplex = order.map((i) => simplex[i]!);
    values = order.map((i) => values[i]!);
    if (values[dimensions]! - values[0]! < 1e-10) break;

    const centroid = Array.from({ length: dimensions }, (_, j) =>
      simplex.slice(0, dimensions).reduce((sum, v) => sum + v[j]!, 0) /
      dimensions,
    );
    const worst = simplex[dimensions]!;
    const along = (t: number): number[] =>
      centroid.map((c, j) => c + t * (worst[j]! - c));

    const reflected = along(-1);
    const reflectedValue = cost(reflected);
    evaluations += 1;
    if (reflectedValue < values[0]!) {
      const expanded = along(-2);
      const expandedValue = cost(expanded);
      evaluations += 1;
      const better = expandedValue < reflectedValue;
      simplex[dimensions] = better ? expanded : reflected;
      values[dimensions] = better ? expandedValue : reflectedValue;
    } else if (reflectedValue < values[dimensions - 1]!) {
      simplex[dimensions] = reflected;
      values[dimensions] = reflectedValue;
    } else {
      const contracted = along(0.5);
      const contractedValue = cost(contracted);
      evaluations += 1;
      if (contractedValue < values[dimensions]!) {
        simplex[dimensions] = contracted;
        values[dimensions] = contractedValue;
      } else {
        // Shrink everything towards the best vertex.
        const bestVertex = simplex[0]!;
        for (let i = 1; i <= dimensions; i += 1) {
          simplex[i] = simplex[i]!.map(
            (value, j) => bestVertex[j]! + 0.5 * (value - bestVertex[j]!),
          );
          values[i] = cost(simplex[i]!);
        }
        evaluations += dimensions;
      }
    }
  }
  const bestIndex = values.indexOf(Math.min(...values));
  return simplex[bestIndex]!;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
