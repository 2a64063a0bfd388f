/**
 * Linear-kernel (Gram) matrices: the inner products between feature
 * vectors that kernel-form ridge regression works on when features
 * outnumber images.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { ShapeError } from '@hourglass/common';

import type { HostMatrix } from './gather-rows.ts';
import { multiplyMatrices, transposeMatrix } from './mat-mul.ts';

/** Columns of X X^T per block column: one product is [end, d] x [d, 640]. */
const GRAM_BLOCK_COLUMNS = 640;

/**
 * Features per partial product. XNNPACK's product on wasm ran at about
 * 17 GFLOP/s with 9,000 shared dimensions against 25 with about 1,000
 * (measured, one core), so long feature vectors are summed in pieces.
 */
const GRAM_CHUNK_FEATURES = 1024;

/**
 * X X^T for X [n, d], as a tensor. See `computeGramValues`.
 */
export function computeGram(
  x: Tensor2D,
  blockColumns = GRAM_BLOCK_COLUMNS,
): Tensor2D {
  const { values, rows } = computeGramValues(x, blockColumns);
  return tf.tensor2d(values, [rows, rows]);
}

/**
 * X X^T for X [n, d], read into JavaScript. Only the blocks on and above
 * the diagonal are multiplied (block column j is X[0:end_j] X[cols_j]^T),
 * which saves about 45% of the products at n = 5,760; the lower triangle
 * is the mirror of the upper one, so the result is exactly symmetric.
 */
export function computeGramValues(
  x: Tensor2D,
  blockColumns = GRAM_BLOCK_COLUMNS,
): HostMatrix {
  if (x.rank !== 2) throw new ShapeError('computeGram', '[n, d]', x.shape);
  const n = x.shape[0];
  const values = new Float32Array(n * n);

  for (let start = 0; start < n; start += blockColumns) {
    const width = Math.min(blockColumns, n - start);
    const end = start + width;
    const [column, mirrored] = tf.tidy(() => {
      const block = multiplyInChunks(x, start, width);
      return [block, transposeMatrix(block)];
    });
    const upper = column.dataSync();
    const lower = mirrored.dataSync();
    tf.dispose([column, mirrored]);

    // Rows above the block, and the diagonal block from its diagonal on.
    for (let row = 0; row < end; row += 1) {
      const from = Math.max(0, row - start);
      values.set(
        upper.subarray(row * width + from, (row + 1) * width),
        row * n + start + from,
      );
    }
    // Their mirror: row start + j gets columns 0 ... start + j - 1.
    for (let j = 0; j < width; j += 1) {
      values.set(lower.subarray(j * end, j * end + start + j), (start + j) * n);
    }
  }
  return { values, rows: n, columns: n };
}

/** X[0:start+width] X[start:start+width]^T, summed over feature chunks. */
function multiplyInChunks(x: Tensor2D, start: number, width: number): Tensor2D {
  const [, d] = x.shape;
  const end = start + width;
  const chunks = Math.max(1, Math.ceil(d / GRAM_CHUNK_FEATURES));
  const chunkWidth = Math.max(1, Math.ceil(d / chunks));

  // Each partial product is added and freed at once, to bound memory.
  let sum: Tensor2D = tf.zeros([end, width]);
  for (let offset = 0; offset < d; offset += chunkWidth) {
    const features = Math.min(chunkWidth, d - offset);
    const next = tf.tidy(() => {
      const left = x.slice([0, offset], [end, features]);
      const right = transposeMatrix(x.slice([start, offset], [width, features]));
      return tf.add(sum, multiplyMatrices(left, right)) as Tensor2D;
    });
    sum.dispose();
    sum = next;
  }
  return sum;
}

/**
 * A Gram matrix centered as if its feature vectors had been centered on
 * the training items (Schoelkopf, Smola and Mueller 1998, kernel PCA):
 * K~ = K - 1 m^T - r 1^T + mu, with m the column means of the training
 * block, r the row means of `cross` over training columns, mu the grand
 * mean of the training block.
 *
 * `train` is the symmetric [n, n] Gram matrix among training items;
 * `cross` is [t, n] from other items to the training items, or the
 * training block itself.
 */
export function centerGram(train: Tensor2D, cross: Tensor2D): Tensor2D {
  return tf.tidy(() => {
    // By symmetry the column means are the row means. Both are products
    // with a column of 1/n: as the right factor it is packed in no time,
    // where a row of 1/n on the left would have the wasm backend pack all
    // of `train` (measured: 14 against 180 ms for 4,608 x 4,608).
    const averaging = tf.fill([train.shape[0], 1], 1 / train.shape[0]);
    const trainMeans = multiplyMatrices(train, averaging as Tensor2D);
    const columnMeans = transposeMatrix(trainMeans);
    const grandMean = tf.mean(trainMeans);
    const rowMeans = multiplyMatrices(cross, averaging as Tensor2D);
    return tf.add(tf.sub(tf.sub(cross, columnMeans), rowMeans), grandMean);
  });
}
