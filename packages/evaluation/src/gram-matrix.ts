/**
 * Linear-kernel (Gram) matrices: the inner products between feature
 * vectors that kernel-form ridge regression works on when features
 * outnumber images.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { ShapeError } from '@hourglass/common';

import { meanColumns } from './column-sums.ts';
import { multiplyMatrices, transposeMatrix } from './mat-mul.ts';

/** Rows per block: one block product is [block, d] x [d, block]. */
const GRAM_BLOCK_ROWS = 1024;

/**
 * X X^T for X [n, d]. Only the blocks on and above the diagonal are
 * multiplied; the rest are their transposes, which saves about 40% of
 * the products at n = 5,760.
 */
export function computeGram(x: Tensor2D, blockRows = GRAM_BLOCK_ROWS): Tensor2D {
  if (x.rank !== 2) throw new ShapeError('computeGram', '[n, d]', x.shape);
  const [n, d] = x.shape;
  if (n <= blockRows) return multiplyMatrices(x, x, false, true);

  const starts: number[] = [];
  for (let start = 0; start < n; start += blockRows) starts.push(start);
  const rowsOf = (start: number): number => Math.min(blockRows, n - start);

  const blocks: Tensor2D[][] = starts.map(() => []);
  try {
    for (const [j, startJ] of starts.entries()) {
      const transposed = tf.tidy(() =>
        transposeMatrix(x.slice([startJ, 0], [rowsOf(startJ), d])),
      );
      for (const [i, startI] of starts.entries()) {
        if (i > j) break;
        blocks[i]![j] = tf.tidy(() =>
          multiplyMatrices(x.slice([startI, 0], [rowsOf(startI), d]), transposed),
        );
      }
      transposed.dispose();
    }
    return tf.tidy(() => {
      const rows = starts.map((_, i) =>
        tf.concat(
          starts.map((__, j) =>
            i <= j ? blocks[i]![j]! : transposeMatrix(blocks[j]![i]!),
          ),
          1,
        ),
      );
      return tf.concat(rows, 0);
    });
  } finally {
    tf.dispose(blocks.flat());
  }
}

/**
 * A Gram matrix centered as if its feature vectors had been centered on
 * the training items (Schoelkopf, Smola and Mueller 1998, kernel PCA):
 * K~ = K - 1 m^T - r 1^T + mu, with m the column means of the training
 * block, r the row means of `cross` over training columns, mu the grand
 * mean of the training block.
 *
 * `train` is [n, n] among training items; `cross` is [t, n] from other
 * items to the training items, or the training block itself.
 */
export function centerGram(train: Tensor2D, cross: Tensor2D): Tensor2D {
  return tf.tidy(() => {
    const columnMeans = meanColumns(train);
    const grandMean = tf.mean(columnMeans);
    const rowMeans = tf.mean(cross, 1, true);
    return tf.add(tf.sub(tf.sub(cross, columnMeans), rowMeans), grandMean);
  });
}
