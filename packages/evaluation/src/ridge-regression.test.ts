import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';

import { disposeRidge, fitRidge, predictRidge } from './ridge-regression.ts';
import {
  denseCenter,
  denseInverse,
  denseProduct,
  denseTranspose,
  gaussianMatrix,
  relativeError,
  toDense,
  useWasmBackend,
} from './test-support.ts';

/** (Xc^T Xc + lambda I)^-1 Xc^T Yc, computed directly in float64. */
function closedFormRidge(
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  penalty: number,
): Float64Array {
  const xc = denseCenter(toDense(x));
  const yc = denseCenter(toDense(y));
  const xt = denseTranspose(xc);
  const normal = denseProduct(xt, xc);
  for (let i = 0; i < normal.rows; i += 1) {
    normal.values[i * normal.columns + i]! += penalty;
  }
  return denseProduct(denseInverse(normal), denseProduct(xt, yc)).values;
}

describe('fitRidge', () => {
  before(useWasmBackend);

  for (const [n, d] of [
    [30, 5],
    [8, 20],
  ] as const) {
    const form = d <= n ? 'primal' : 'dual';
    it(`matches the closed form with n=${n}, d=${d} (${form})`, () => {
      const x = gaussianMatrix(n, d, 1);
      const y = gaussianMatrix(n, 2, 2);

      const model = fitRidge(x, y, 3.5);
      const expected = closedFormRidge(x, y, 3.5);

      assert.deepEqual(model.coefficients.shape, [d, 2]);
      assert.ok(relativeError(model.coefficients.dataSync(), expected) < 1e-4);
      disposeRidge(model);
      tf.dispose([x, y]);
    });
  }

  it('predicts the mean response at the mean feature vector', () => {
    const x = gaussianMatrix(25, 4, 3);
    const y = tf.tidy(() => tf.add(gaussianMatrix(25, 3, 4), 7)) as tf.Tensor2D;
    const model = fitRidge(x, y, 1);

    const predicted = predictRidge(model, tf.mean(x, 0, true) as tf.Tensor2D);
    const means = tf.mean(y, 0);

    assert.ok(relativeError(predicted.dataSync(), means.dataSync()) < 1e-5);
    disposeRidge(model);
    tf.dispose([x, y, predicted, means]);
  });

  it('recovers a noiseless linear map with a tiny penalty', () => {
    const x = gaussianMatrix(40, 6, 5);
    const weights = gaussianMatrix(6, 2, 6);
    const y = tf.matMul(x, weights) as tf.Tensor2D;

    const model = fitRidge(x, y, 1e-6);

    assert.ok(
      relativeError(model.coefficients.dataSync(), weights.dataSync()) < 1e-3,
    );
    disposeRidge(model);
    tf.dispose([x, weights, y]);
  });
});
