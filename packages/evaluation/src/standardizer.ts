/**
 * Per-feature standardization (z-scoring) with statistics taken from the
 * training split only, so that nothing about held-out images leaks into
 * a readout fitted on the training split.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import { ShapeError } from '@hourglass/common';

import { sumColumns } from './column-sums.ts';

/** Rows per pass when accumulating statistics, to bound temporaries. */
const ROWS_PER_CHUNK = 2048;

/** Features below this standard deviation are treated as constant. */
const MIN_STANDARD_DEVIATION = 1e-6;

/**
 * The mean and inverse standard deviation of each feature of a training
 * split. A feature that is constant on the training split gets scale 0:
 * it carries nothing a readout could have learned, so it is zeroed on
 * every split rather than blown up on held-out images.
 */
export interface Standardizer {
  mean: Tensor1D;
  scale: Tensor1D;
}

/**
 * Estimates each column's mean and (population) standard deviation of a
 * [n, d] training matrix: the mean first, then the mean squared
 * deviation from it (two passes, which stays accurate when a feature's
 * mean is large next to its spread), each pass in row chunks with the
 * column sums taken as products (see column-sums.ts).
 */
export function fitStandardizer(train: Tensor2D): Standardizer {
  if (train.rank !== 2 || train.shape[0] < 1) {
    throw new ShapeError('fitStandardizer', '[n >= 1, d]', train.shape);
  }
  const [n, d] = train.shape;

  const meanRow = tf.tidy(() => tf.div(sumRows(train, (rows) => rows), n));
  const scale = tf.tidy(() => {
    const squares = sumRows(train, (rows) => tf.square(tf.sub(rows, meanRow)));
    const deviation = tf.sqrt(tf.div(squares, n));
    const isConstant = tf.less(deviation, MIN_STANDARD_DEVIATION);
    const safe = tf.maximum(deviation, MIN_STANDARD_DEVIATION);
    const inverse = tf.where(isConstant, tf.zerosLike(safe), tf.reciprocal(safe));
    return tf.reshape(inverse, [d]) as Tensor1D;
  });
  const mean = tf.reshape(meanRow, [d]) as Tensor1D;
  meanRow.dispose();
  return { mean, scale };
}

/** (x - mean) * scale, row by row: x is [n, d] from any split. */
export function standardize(x: Tensor2D, standardizer: Standardizer): Tensor2D {
  const d = standardizer.mean.shape[0];
  if (x.rank !== 2 || x.shape[1] !== d) {
    throw new ShapeError('standardize', `[n, ${d}]`, x.shape);
  }
  return tf.tidy(() =>
    tf.mul(tf.sub(x, standardizer.mean), standardizer.scale),
  );
}

/** Frees the standardizer's tensors. */
export function disposeStandardizer(standardizer: Standardizer): void {
  tf.dispose([standardizer.mean, standardizer.scale]);
}

/** Column sums of f(rows) over row chunks, as a [1, d] tensor. */
function sumRows(
  x: Tensor2D,
  map: (rows: Tensor2D) => Tensor,
): Tensor2D {
  const [n, d] = x.shape;
  let total: Tensor2D = tf.zeros([1, d]);
  for (let start = 0; start < n; start += ROWS_PER_CHUNK) {
    const rows = Math.min(ROWS_PER_CHUNK, n - start);
    const next = tf.tidy(() => {
      const mapped = map(x.slice([start, 0], [rows, d])) as Tensor2D;
      return tf.add(total, sumColumns(mapped)) as Tensor2D;
    });
    total.dispose();
    total = next;
  }
  return total;
}
