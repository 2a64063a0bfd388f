/**
 * Pearson correlation, between the columns of two matrices on tfjs and
 * between two plain arrays.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { ShapeError } from '@hourglass/common';

import { meanColumns, sumColumns } from './column-sums.ts';

/**
 * Pearson's r between column j of `a` and column j of `b`, for every j;
 * a, b are [n, m]. A column with no variance gives NaN.
 */
export function correlateColumns(a: Tensor2D, b: Tensor2D): Float32Array {
  if (a.rank !== 2 || b.rank !== 2 || a.shape.join() !== b.shape.join()) {
    throw new ShapeError('correlateColumns', `b of shape [${a.shape}]`, b.shape);
  }
  return tf.tidy(() => {
    const ac = tf.sub(a, meanColumns(a)) as Tensor2D;
    const bc = tf.sub(b, meanColumns(b)) as Tensor2D;
    const cross = sumColumns(tf.mul(ac, bc) as Tensor2D);
    const norms = tf.sqrt(
      tf.mul(
        sumColumns(tf.square(ac) as Tensor2D),
        sumColumns(tf.square(bc) as Tensor2D),
      ),
    );
    return tf.div(cross, norms).dataSync() as Float32Array;
  });
}

/** Pearson's r of two equally long arrays; NaN when either is constant. */
export function pearsonCorrelation(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): number {
  const n = a.length;
  if (b.length !== n) {
    throw new ShapeError('pearsonCorrelation', `[${n}]`, [b.length]);
  }
  let meanA = 0;
  let meanB = 0;
  for (let i = 0; i < n; i += 1) {
    meanA += a[i]!;
    meanB += b[i]!;
  }
  meanA /= n;
  meanB /= n;

  let cross = 0;
  let squaresA = 0;
  let squaresB = 0;
  for (let i = 0; i < n; i += 1) {
    const da = a[i]! - meanA;
    const db = b[i]! - meanB;
    cross += da * db;
    squaresA += da * da;
    squaresB += db * db;
  }
  return cross / Math.sqrt(squaresA * squaresB);
}
