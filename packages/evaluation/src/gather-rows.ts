/**
 * Selecting rows (and columns) of a matrix held in JavaScript. The wasm
 * backend's gather measured about 50 times slower than copying whole
 * rows with TypedArray.set, and dominated cross-validation, which
 * selects the training rows of every fold.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';

/** A row-major matrix read out of a tensor once, to select from. */
export interface HostMatrix {
  values: Float32Array;
  rows: number;
  columns: number;
}

/** Reads a 2-D tensor's values into JavaScript once. */
export function readHostMatrix(x: Tensor2D): HostMatrix {
  const [rows, columns] = x.shape;
  return { values: x.dataSync() as Float32Array, rows, columns };
}

/** The rows `rows` of the matrix, in that order, as a new tensor. */
export function gatherRows(
  matrix: HostMatrix,
  rows: ArrayLike<number>,
): Tensor2D {
  const { values, columns } = matrix;
  const selected = new Float32Array(rows.length * columns);
  for (let i = 0; i < rows.length; i += 1) {
    const start = rows[i]! * columns;
    selected.set(values.subarray(start, start + columns), i * columns);
  }
  return tf.tensor2d(selected, [rows.length, columns]);
}

/** The block matrix[rows, columns], as a new tensor. */
export function gatherBlock(
  matrix: HostMatrix,
  rows: ArrayLike<number>,
  columns: ArrayLike<number>,
): Tensor2D {
  const { values } = matrix;
  const width = matrix.columns;
  const selected = new Float32Array(rows.length * columns.length);
  for (let i = 0; i < rows.length; i += 1) {
    const offset = rows[i]! * width;
    const target = i * columns.length;
    for (let j = 0; j < columns.length; j += 1) {
      selected[target + j] = values[offset + columns[j]!]!;
    }
  }
  return tf.tensor2d(selected, [rows.length, columns.length]);
}
