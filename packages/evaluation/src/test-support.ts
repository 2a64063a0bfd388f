/**
 * Helpers shared by this package's tests: seeded data and tolerant
 * comparisons. Not part of the public surface.
 */
import assert from 'node:assert/strict';

import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { createRandom, normal } from '@hourglass/common';
import { resolveBackend } from '@hourglass/compute';

/** Sets up the patched wasm backend, the one training runs on here. */
export async function useWasmBackend(): Promise<void> {
  await resolveBackend('wasm');
}

/** Standard normal values from a seed. */
export function gaussianValues(size: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: size }, () => normal(random));
}

/** A [rows, columns] matrix of standard normal values. */
export function gaussianMatrix(
  rows: number,
  columns: number,
  seed: number,
): Tensor2D {
  return tf.tensor2d(gaussianValues(rows * columns, seed), [rows, columns]);
}

/** Asserts |actual - expected| <= tolerance, elementwise. */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  what = 'values',
): void {
  assert.equal(actual.length, expected.length, `${what}: lengths differ`);
  for (let i = 0; i < actual.length; i += 1) {
    const difference = Math.abs(actual[i]! - expected[i]!);
    assert.ok(
      difference <= tolerance,
      `${what}[${i}]: got ${actual[i]}, expected ${expected[i]} ` +
        `(tolerance ${tolerance})`,
    );
  }
}

/** The largest absolute value of a - b, relative to the largest |b|. */
export function relativeError(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i += 1) {
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return worst / Math.max(scale, Number.MIN_VALUE);
}

/** A row-major matrix in float64, for reference computations in tests. */
export interface DenseMatrix {
  rows: number;
  columns: number;
  values: Float64Array;
}

/** Reads a 2-D tensor into a float64 dense matrix. */
export function toDense(tensor: Tensor2D): DenseMatrix {
  const [rows, columns] = tensor.shape;
  return { rows, columns, values: Float64Array.from(tensor.dataSync()) };
}

/** a b, computed directly. */
export function denseProduct(a: DenseMatrix, b: DenseMatrix): DenseMatrix {
  const values = new Float64Array(a.rows * b.columns);
  for (let i = 0; i < a.rows; i += 1) {
    for (let k = 0; k < a.columns; k += 1) {
      const aik = a.values[i * a.columns + k]!;
      for (let j = 0; j < b.columns; j += 1) {
        values[i * b.columns + j]! += aik * b.values[k * b.columns + j]!;
      }
    }
  }
  return { rows: a.rows, columns: b.columns, values };
}

/** The transpose of a dense matrix. */
export function denseTranspose(a: DenseMatrix): DenseMatrix {
  const values = new Float64Array(a.rows * a.columns);
  for (let i = 0; i < a.rows; i += 1) {
    for (let j = 0; j < a.columns; j += 1) {
      values[j * a.rows + i] = a.values[i * a.columns + j]!;
    }
  }
  return { rows: a.columns, columns: a.rows, values };
}

/** The inverse of a square dense matrix (Gauss-Jordan, partial pivots). */
export function denseInverse(a: DenseMatrix): DenseMatrix {
  const n = a.rows;
  const work = Float64Array.from(a.values);
  const inverse = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1) inverse[i * n + i] = 1;
  for (let column = 0; column < n; column += 1) {
    let pivot = column;
    for (let row = column + 1; row < n; row += 1) {
      const candidate = Math.abs(work[row * n + column]!);
      if (candidate > Math.abs(work[pivot * n + column]!)) pivot = row;
    }
    for (const matrix of [work, inverse]) {
      for (let j = 0; j < n; j += 1) {
        const held = matrix[column * n + j]!;
        matrix[column * n + j] = matrix[pivot * n + j]!;
        matrix[pivot * n + j] = held;
      }
    }
    const scale = work[column * n + column]!;
    for (let j = 0; j < n; j += 1) {
      work[column * n + j]! /= scale;
      inverse[column * n + j]! /= scale;
    }
    for (let row = 0; row < n; row += 1) {
      if (row === column) continue;
      const factor = work[row * n + column]!;
      for (let j = 0; j < n; j += 1) {
        work[row * n + j]! -= factor * work[column * n + j]!;
        inverse[row * n + j]! -= factor * inverse[column * n + j]!;
      }
    }
  }
  return { rows: n, columns: n, values: inverse };
}

/** Columns centred on their means. */
export function denseCenter(a: DenseMatrix): DenseMatrix {
  const values = Float64Array.from(a.values);
  for (let j = 0; j < a.columns; j += 1) {
    let mean = 0;
    for (let i = 0; i < a.rows; i += 1) mean += values[i * a.columns + j]!;
    mean /= a.rows;
    for (let i = 0; i < a.rows; i += 1) values[i * a.columns + j]! -= mean;
  }
  return { ...a, values };
}

/** Synthetic recordings: a known linear map of features plus noise. */
export interface SyntheticRecording {
  /** Single trials, [repetitions, images, sites]. */
  trials: tf.Tensor3D;
  /** The noiseless signal, [images, sites]. */
  signal: Tensor2D;
}

/**
 * Sites whose noiseless response is features · W (W Gaussian, each site
 * scaled to unit signal variance), recorded `repetitions` times with
 * Gaussian noise of standard deviation `noise`: the trial mean then has
 * reliability 1 / (1 + noise^2 / repetitions).
 */
export function recordSyntheticSites(
  features: Tensor2D,
  sites: number,
  repetitions: number,
  noise: number,
  seed: number,
): SyntheticRecording {
  const [images, d] = features.shape;
  return tf.tidy(() => {
    const weights = gaussianMatrix(d, sites, seed);
    const raw = tf.matMul(features, weights);
    const { mean, variance } = tf.moments(raw, 0);
    const signal = tf.div(tf.sub(raw, mean), tf.sqrt(variance)) as Tensor2D;
    const noiseValues = gaussianValues(repetitions * images * sites, seed + 1);
    const trials = tf.add(
      signal,
      tf.mul(tf.tensor3d(noiseValues, [repetitions, images, sites]), noise),
    ) as tf.Tensor3D;
    return { trials, signal };
  });
}

/**
 * Points around one Gaussian centre per class, `spread` apart: labels
 * cycle through the classes.
 */
export function clusteredFeatures(
  n: number,
  d: number,
  classes: number,
  spread: number,
  seed: number,
): { features: Tensor2D; labels: Int32Array } {
  const labels = Int32Array.from({ length: n }, (_, i) => i % classes);
  const features = tf.tidy(() => {
    const centres = tf.mul(gaussianMatrix(classes, d, seed), spread);
    const noise = gaussianMatrix(n, d, seed + 1);
    return tf.add(tf.gather(centres, labels), noise) as Tensor2D;
  });
  return { features, labels };
}
