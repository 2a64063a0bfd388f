/**
 * Ridge regression (Hoerl and Kennard 1970): the weights minimising
 * ||Y - X W||^2 + lambda ||W||^2, one column of W per response, solved in
 * closed form.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import { ShapeError, ValidationError } from '@hourglass/common';

import {
  CHOLESKY_BLOCK_SIZE,
  disposeCholesky,
  factorCholesky,
  solveCholesky,
} from './cholesky.ts';
import { meanColumns } from './column-sums.ts';
import { multiplyMatrices } from './mat-mul.ts';

/** A fitted linear map from features to responses. */
export interface RidgeModel {
  /** W, [d, m]. */
  coefficients: Tensor2D;
  /** The response means minus the feature means through W, [m]. */
  intercept: Tensor1D;
}

/** Whether to fit an unpenalised intercept (centre X and Y first). */
export interface RidgeOptions {
  fitIntercept?: boolean;
}

/**
 * Fits ridge regression for one penalty lambda >= 0 on X [n, d] and
 * Y [n, m]. With at least as many images as features it solves the
 * primal system (X^T X + lambda I) W = X^T Y; with more features it
 * solves the dual (X X^T + lambda I) A = Y and takes W = X^T A, which is
 * the same W (the push-through identity) at O(n^2 d) instead of O(d^2 n).
 * Both systems are solved by a Cholesky factorization on tfjs matMul.
 */
export function fitRidge(
  x: Tensor2D,
  y: Tensor2D,
  penalty: number,
  options: RidgeOptions = {},
): RidgeModel {
  checkRegressionShapes('fitRidge', x, y);
  if (!(penalty >= 0)) {
    throw new ValidationError('ridge regression', [
      { path: 'penalty', message: `expected a number >= 0, got ${penalty}` },
    ]);
  }
  const fitIntercept = options.fitIntercept ?? true;
  const [n, d] = x.shape;

  const xMean = fitIntercept ? meanColumns(x) : tf.zeros([1, d]);
  const yMean = fitIntercept ? meanColumns(y) : tf.zeros([1, y.shape[1]]);
  const xc = tf.sub(x, xMean) as Tensor2D;
  const yc = tf.sub(y, yMean) as Tensor2D;
  try {
    const coefficients =
      d <= n ? solvePrimal(xc, yc, penalty) : solveDual(xc, yc, penalty);
    const intercept = tf.tidy(() => {
      const shift = multiplyMatrices(xMean as Tensor2D, coefficients);
      return tf.reshape(tf.sub(yMean, shift), [-1]);
    }) as Tensor1D;
    return { coefficients, intercept };
  } finally {
    tf.dispose([xMean, yMean, xc, yc]);
  }
}

/** X W + intercept for X [t, d]. */
export function predictRidge(model: RidgeModel, x: Tensor2D): Tensor2D {
  const d = model.coefficients.shape[0];
  if (x.rank !== 2 || x.shape[1] !== d) {
    throw new ShapeError('predictRidge', `[t, ${d}]`, x.shape);
  }
  return tf.tidy(() =>
    tf.add(multiplyMatrices(x, model.coefficients), model.intercept),
  );
}

/** Frees the model's tensors. */
export function disposeRidge(model: RidgeModel): void {
  tf.dispose([model.coefficients, model.intercept]);
}

/**
 * Solves (K + lambda I) A = Y for a symmetric positive semi-definite
 * K [n, n] and Y [n, m]: the dual coefficients of kernel ridge.
 */
export function solveShiftedSystem(
  k: Tensor2D,
  y: Tensor2D,
  penalty: number,
): Tensor2D {
  const factor = factorCholesky(k, CHOLESKY_BLOCK_SIZE, penalty);
  try {
    return solveCholesky(factor, y);
  } finally {
    disposeCholesky(factor);
  }
}

function solvePrimal(xc: Tensor2D, yc: Tensor2D, penalty: number): Tensor2D {
  const covariance = multiplyMatrices(xc, xc, true, false);
  const crossCovariance = multiplyMatrices(xc, yc, true, false);
  try {
    return solveShiftedSystem(covariance, crossCovariance, penalty);
  } finally {
    tf.dispose([covariance, crossCovariance]);
  }
}

function solveDual(xc: Tensor2D, yc: Tensor2D, penalty: number): Tensor2D {
  const gram = multiplyMatrices(xc, xc, false, true);
  try {
    const dual = solveShiftedSystem(gram, yc, penalty);
    const coefficients = multiplyMatrices(xc, dual, true, false);
    dual.dispose();
    return coefficients;
  } finally {
    gram.dispose();
  }
}

/** Checks X [n, d] and Y [n, m] of a regression. */
export function checkRegressionShapes(
  where: string,
  x: Tensor2D,
  y: Tensor2D,
): void {
  if (x.rank !== 2 || x.shape[0] < 2) {
    throw new ShapeError(where, 'features [n >= 2, d]', x.shape);
  }
  if (y.rank !== 2 || y.shape[0] !== x.shape[0]) {
    throw new ShapeError(where, `responses [${x.shape[0]}, m]`, y.shape);
  }
}
