/**
 * Partial least squares regression by SIMPLS (de Jong 1993, "SIMPLS: an
 * alternative approach to partial least squares regression"), the
 * regression Yamins et al. 2014 used to map model features to neural
 * sites (25 components).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import { ShapeError, ValidationError } from '@hourglass/common';

import { meanColumns } from './column-sums.ts';
import { dominantEigenvector } from './dominant-eigenvector.ts';
import { multiplyMatrices, transposeMatrix } from './mat-mul.ts';
import { checkRegressionShapes } from './ridge-regression.ts';

/** Components used when none are asked for, as in Yamins et al. 2014. */
export const DEFAULT_PLS_COMPONENTS = 25;

/** A fitted PLS model: predictions are (x - xMean) B + yMean. */
export interface PlsModel {
  /** B = R Q^T, [d, m]. */
  coefficients: Tensor2D;
  xMean: Tensor1D;
  yMean: Tensor1D;
  /**
   * The weight vectors r_a, one per row, [components, d]: the scores are
   * t_a = X_centered r_a, orthogonal to each other and of unit length.
   */
  weights: Tensor2D;
  /** Components actually extracted (fewer when the data run out). */
  components: number;
}

/**
 * Fits PLS regression of Y [n, m] on X [n, d] with at most `components`
 * components. X and Y are centred, not scaled: standardize X first when
 * its features have unrelated units.
 *
 * SIMPLS keeps the cross-covariance S = X^T Y and, per component, takes
 * the dominant left singular vector of the deflated S as the weight r,
 * the score t = X r (normalized), the loadings p = X^T t and q = Y^T t,
 * and deflates S by projecting out p orthonormalized against the earlier
 * loadings (the basis V). The deflated S is never formed: with V's rows
 * orthonormal, S_a = (I - V^T V) S, so r = S q - V^T (V S q), and the
 * update of M = S_a^T S_a (m x m, whose top eigenvector gives q) needs
 * only S^T v. The large matrices X, Y and S then stay unchanged, so the
 * wasm backend packs each of them for its products once, not once per
 * component.
 */
export function fitPls(
  x: Tensor2D,
  y: Tensor2D,
  components = DEFAULT_PLS_COMPONENTS,
): PlsModel {
  checkRegressionShapes('fitPls', x, y);
  if (!Number.isInteger(components) || components < 1) {
    throw new ValidationError('PLS regression', [
      {
        path: 'components',
        message: `expected an integer >= 1, got ${components}`,
      },
    ]);
  }
  const [n, d] = x.shape;
  const m = y.shape[1];
  const limit = Math.min(components, n - 1, d);

  const xMean = tf.tidy(() => tf.reshape(meanColumns(x), [d])) as Tensor1D;
  const yMean = tf.tidy(() => tf.reshape(meanColumns(y), [m])) as Tensor1D;
  const xc = tf.sub(x, xMean) as Tensor2D;
  const yc = tf.sub(y, yMean) as Tensor2D;
  // S = X^T Y as (Y^T X)^T: X is the right factor, as it is for p below.
  const cross = tf.tidy(() =>
    transposeMatrix(multiplyMatrices(yc, xc, true, false)),
  );
  const gram = Float64Array.from(
    tf.tidy(() => multiplyMatrices(cross, cross, true, false)).dataSync(),
  );

  const weights: Tensor2D[] = [];
  const yLoadings: Tensor2D[] = [];
  const basis: Tensor2D[] = [];
  try {
    for (let a = 0; a < limit; a += 1) {
      const q = dominantEigenvector(gram, m);
      if (q === undefined) break;
      const step = extractComponent({ xc, yc, cross }, basis, q);
      if (step === undefined) break;

      weights.push(step.weight);
      yLoadings.push(step.yLoading);
      basis.push(step.basisVector);
      deflateGram(gram, m, step.projection);
    }
    if (weights.length === 0) {
      throw new ValidationError('PLS regression', [
        { path: 'responses', message: 'no covariance between X and Y' },
      ]);
    }
    const weightRows = tf.concat(weights, 0);
    const coefficients = tf.tidy(() =>
      multiplyMatrices(weightRows, tf.concat(yLoadings, 0), true, false),
    );
    return {
      coefficients,
      xMean,
      yMean,
      weights: weightRows,
      components: weights.length,
    };
  } catch (error) {
    tf.dispose([xMean, yMean]);
    throw error;
  } finally {
    tf.dispose([xc, yc, cross, ...weights, ...yLoadings, ...basis]);
  }
}

/** (x - xMean) B + yMean for x [t, d]. */
export function predictPls(model: PlsModel, x: Tensor2D): Tensor2D {
  const d = model.coefficients.shape[0];
  if (x.rank !== 2 || x.shape[1] !== d) {
    throw new ShapeError('predictPls', `[t, ${d}]`, x.shape);
  }
  return tf.tidy(() =>
    tf.add(
      multiplyMatrices(tf.sub(x, model.xMean), model.coefficients),
      model.yMean,
    ),
  );
}

/** Frees the model's tensors. */
export function disposePls(model: PlsModel): void {
  tf.dispose([model.coefficients, model.xMean, model.yMean, model.weights]);
}

interface ComponentStep {
  /** r, [1, d], scaled so that t = X r has unit length. */
  weight: Tensor2D;
  /** q = Y^T t, [1, m]. */
  yLoading: Tensor2D;
  /** v, [1, d]: the loading p orthonormalized against earlier ones. */
  basisVector: Tensor2D;
  /** S^T v, [m]: what deflation by v removes from M = S^T S. */
  projection: Float64Array;
}

/** The centred data and S = X^T Y, [d, m]. */
interface PlsData {
  xc: Tensor2D;
  yc: Tensor2D;
  cross: Tensor2D;
}

/** One SIMPLS component from the eigenvector q of the deflated M. */
function extractComponent(
  data: PlsData,
  basis: readonly Tensor2D[],
  q: Float64Array,
): ComponentStep | undefined {
  const { xc, yc, cross } = data;
  const m = q.length;
  const qColumn = tf.tensor2d(Float32Array.from(q), [m, 1]);
  const step = tf.tidy(() => {
    // r = S_a q = S q - V^T (V S q); t = X r.
    let r = transposeMatrix(multiplyMatrices(cross, qColumn));
    if (basis.length > 0) {
      const earlier = tf.concat([...basis], 0);
      const overlap = multiplyMatrices(r, earlier, false, true);
      r = tf.sub(r, multiplyMatrices(overlap, earlier));
    }
    const t = multiplyMatrices(xc, transposeMatrix(r));
    const scoreNorm = tf.norm(t);
    const weight = tf.div(r, scoreNorm) as Tensor2D;
    const scoreRow = transposeMatrix(tf.div(t, scoreNorm) as Tensor2D);

    const loading = multiplyMatrices(scoreRow, xc);
    const yLoading = multiplyMatrices(scoreRow, yc);

    // Gram-Schmidt twice: one pass loses orthogonality in float32.
    let v = loading;
    for (let pass = 0; pass < 2 && basis.length > 0; pass += 1) {
      const earlier = tf.concat([...basis], 0);
      const overlap = multiplyMatrices(v, earlier, false, true);
      v = tf.sub(v, multiplyMatrices(overlap, earlier));
    }
    const basisVector = tf.div(v, tf.norm(v)) as Tensor2D;
    // S_a^T v = S^T v, because v is orthogonal to the earlier basis.
    const projection = multiplyMatrices(basisVector, cross);
    return {
      scoreNorm: scoreNorm.dataSync()[0]!,
      weight,
      yLoading,
      basisVector,
      projection,
    };
  });
  qColumn.dispose();

  // A zero score means X has no variance left along S's direction.
  if (!(step.scoreNorm > 1e-12)) {
    tf.dispose([step.weight, step.yLoading, step.basisVector, step.projection]);
    return undefined;
  }
  const projection = Float64Array.from(step.projection.dataSync());
  step.projection.dispose();
  return {
    weight: step.weight,
    yLoading: step.yLoading,
    basisVector: step.basisVector,
    projection,
  };
}

/** M <- M - w w^T, the effect on S^T S of deflating S by v (w = S^T v). */
function deflateGram(gram: Float64Array, m: number, w: Float64Array): void {
  for (let i = 0; i < m; i += 1) {
    for (let j = 0; j < m; j += 1) gram[i * m + j]! -= w[i]! * w[j]!;
  }
}
