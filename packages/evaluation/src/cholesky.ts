/**
 * Blocked Cholesky factorization and solves on tfjs matrix products, for
 * the symmetric positive definite systems of ridge regression. tfjs has no
 * linear solver, so the O(n^3) work goes through matMul and only the small
 * diagonal blocks are factored in JavaScript.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { ShapeError } from '@hourglass/common';

import { multiplyMatrices, transposeMatrix } from './mat-mul.ts';
import { factorSmallCholesky, invertSmallLower } from './small-cholesky.ts';

/**
 * Rows per diagonal block: large enough for efficient products, small
 * enough that inverting the diagonal blocks stays cheap. Against 512,
 * 256 factored a 1,000-row system in half the time (the inverses of
 * 512-row blocks dominated) and a 4,608-row one 10% faster (measured).
 */
export const CHOLESKY_BLOCK_SIZE = 256;

/**
 * Diagonal blocks up to this size are factored in JavaScript; larger ones
 * recursively, by this same blocked algorithm. Scalar JavaScript ran
 * about 0.3 GFLOP/s here, so a 512-row block in JavaScript took longer
 * than the products around it.
 */
const LEAF_BLOCK_SIZE = 128;

/**
 * A factor L with L L^T = A, kept as its block columns: `panels[k]` holds
 * the rows from the k-th diagonal block down, [n - k*b, b_k]. Dispose
 * with `disposeCholesky`.
 */
export interface CholeskyFactor {
  size: number;
  blockSize: number;
  panels: Tensor2D[];
  /** The inverses of the diagonal blocks, [b_k, b_k]. */
  blockInverses: Tensor2D[];
}

/**
 * Factors a symmetric positive definite [n, n] matrix (left-looking
 * block Cholesky, as in Golub and Van Loan's "Matrix Computations",
 * section 4.2: each block column is updated with the finished columns to
 * its left, then its diagonal block is factored). Only the lower triangle
 * of `a` is read. With `shift`, factors A + shift I: the shift is added
 * to each diagonal block as it is factored, which spares building the
 * shifted [n, n] copy. Throws HG_NOT_POSITIVE_DEFINITE when a pivot is
 * not positive.
 */
export function factorCholesky(
  a: Tensor2D,
  blockSize = CHOLESKY_BLOCK_SIZE,
  shift = 0,
): CholeskyFactor {
  const [n, columns] = a.shape;
  if (n !== columns) throw new ShapeError('factorCholesky', '[n, n]', a.shape);

  const panels: Tensor2D[] = [];
  const blockInverses: Tensor2D[] = [];
  try {
    for (let start = 0; start < n; start += blockSize) {
      const width = Math.min(blockSize, n - start);
      factorBlockColumn(a, panels, blockInverses, {
        start,
        width,
        blockSize,
        shift,
      });
    }
  } catch (error) {
    tf.dispose([...panels, ...blockInverses]);
    throw error;
  }
  return { size: n, blockSize, panels, blockInverses };
}

/** Where one block column lies, and the shift of the diagonal. */
interface BlockColumn {
  start: number;
  width: number;
  blockSize: number;
  shift: number;
}

/** Appends block column `start` of L and its diagonal block's inverse. */
function factorBlockColumn(
  a: Tensor2D,
  panels: Tensor2D[],
  blockInverses: Tensor2D[],
  { start, width, blockSize, shift }: BlockColumn,
): void {
  const n = a.shape[0];
  const column = updateBlockColumn(a, panels, start, width, blockSize);
  try {
    const top = tf.tidy(() => {
      const block = column.slice([0, 0], [width, width]);
      if (shift === 0) return block;
      return tf.add(block, tf.mul(tf.eye(width), shift)) as Tensor2D;
    });
    let factored: ReturnType<typeof factorDiagonalBlock>;
    try {
      factored = factorDiagonalBlock(top);
    } finally {
      top.dispose();
    }
    const { lowerBlock, inverseBlock } = factored;

    const panel = tf.tidy(() => {
      if (start + width === n) return lowerBlock.clone();
      const below = column.slice([width, 0], [n - start - width, width]);
      // L21 = A21 L11^-T.
      const panelBelow = multiplyMatrices(below, inverseBlock, false, true);
      return tf.concat([lowerBlock, panelBelow], 0);
    });
    lowerBlock.dispose();
    panels.push(panel);
    blockInverses.push(inverseBlock);
  } finally {
    column.dispose();
  }
}

/**
 * L11 and L11^-1 of one diagonal block: in float64 JavaScript when it is
 * small, otherwise by a blocked factorization with small blocks and a
 * blocked forward solve against the identity.
 */
function factorDiagonalBlock(block: Tensor2D): {
  lowerBlock: Tensor2D;
  inverseBlock: Tensor2D;
} {
  const width = block.shape[0];
  if (width > LEAF_BLOCK_SIZE) {
    const inner = factorCholesky(block, LEAF_BLOCK_SIZE);
    try {
      return {
        lowerBlock: assembleLower(inner),
        inverseBlock: tf.tidy(() => solveForward(inner, tf.eye(width))),
      };
    } finally {
      disposeCholesky(inner);
    }
  }
  const lower = factorSmallCholesky(Float64Array.from(block.dataSync()), width);
  const inverse = invertSmallLower(lower, width);
  const shape: [number, number] = [width, width];
  return {
    lowerBlock: tf.tensor2d(Float32Array.from(lower), shape),
    inverseBlock: tf.tensor2d(Float32Array.from(inverse), shape),
  };
}

/** A[start:, block] minus the finished columns' contribution, L L^T. */
function updateBlockColumn(
  a: Tensor2D,
  panels: readonly Tensor2D[],
  start: number,
  width: number,
  blockSize: number,
): Tensor2D {
  const n = a.shape[0];
  return tf.tidy(() => {
    const column = a.slice([start, start], [n - start, width]);
    if (start === 0) return column;

    const left = rowsOfFinishedColumns(panels, start, n - start, blockSize);
    const top = left.slice([0, 0], [width, start]);
    return tf.sub(column, multiplyMatrices(left, top, false, true));
  });
}

/** L[start : start+rows, 0 : start], gathered from the panels. */
function rowsOfFinishedColumns(
  panels: readonly Tensor2D[],
  start: number,
  rows: number,
  blockSize: number,
): Tensor2D {
  const pieces = panels.map((panel, k) =>
    panel.slice([start - k * blockSize, 0], [rows, panel.shape[1]]),
  );
  return pieces.length === 1 ? pieces[0]! : tf.concat(pieces, 1);
}

/**
 * Solves A X = B for X, given A's Cholesky factor: a forward solve with
 * L, then a backward solve with L^T, block by block. B is [n, m].
 */
export function solveCholesky(factor: CholeskyFactor, b: Tensor2D): Tensor2D {
  if (b.shape[0] !== factor.size) {
    throw new ShapeError('solveCholesky', `[${factor.size}, m]`, b.shape);
  }
  return tf.tidy(() => solveBackward(factor, solveForward(factor, b)));
}

function solveForward(factor: CholeskyFactor, b: Tensor2D): Tensor2D {
  const { panels, blockInverses, blockSize } = factor;
  const solved: Tensor2D[] = [];
  for (let k = 0; k < panels.length; k += 1) {
    const start = k * blockSize;
    const width = panels[k]!.shape[1];
    let rhs = b.slice([start, 0], [width, b.shape[1]]);
    if (k > 0) {
      const left = rowsOfFinishedColumns(
        panels.slice(0, k),
        start,
        width,
        blockSize,
      );
      const done = tf.concat(solved, 0);
      rhs = tf.sub(rhs, multiplyMatrices(left, done));
    }
    solved.push(multiplyMatrices(blockInverses[k]!, rhs));
  }
  return tf.concat(solved, 0);
}

function solveBackward(factor: CholeskyFactor, z: Tensor2D): Tensor2D {
  const { panels, blockInverses, blockSize, size } = factor;
  const solved: Tensor2D[] = [];
  for (let k = panels.length - 1; k >= 0; k -= 1) {
    const start = k * blockSize;
    const panel = panels[k]!;
    const width = panel.shape[1];
    let rhs = z.slice([start, 0], [width, z.shape[1]]);
    const after = size - start - width;
    if (after > 0) {
      const below = panel.slice([width, 0], [after, width]);
      const done = tf.concat(solved, 0);
      rhs = tf.sub(rhs, multiplyMatrices(transposeMatrix(below), done));
    }
    solved.unshift(multiplyMatrices(blockInverses[k]!, rhs, true, false));
  }
  return tf.concat(solved, 0);
}

/** The full lower-triangular factor as one [n, n] tensor (for tests). */
export function assembleLower(factor: CholeskyFactor): Tensor2D {
  const { panels, blockSize, size } = factor;
  return tf.tidy(() => {
    const columns = panels.map((panel, k) =>
      tf.pad(panel, [
        [k * blockSize, 0],
        [0, 0],
      ]),
    );
    const lower = tf.concat(columns, 1);
    // The panels' diagonal blocks are exactly lower triangular already.
    return tf.reshape(lower, [size, size]) as Tensor2D;
  });
}

/** Frees the factor's tensors. */
export function disposeCholesky(factor: CholeskyFactor): void {
  tf.dispose([...factor.panels, ...factor.blockInverses]);
}
