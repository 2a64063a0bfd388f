import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';

import { multiplyMatrices } from './mat-mul.ts';
import { disposePls, fitPls, predictPls } from './pls-regression.ts';
import { disposeRidge, fitRidge, predictRidge } from './ridge-regression.ts';
import {
  assertClose,
  gaussianMatrix,
  relativeError,
  useWasmBackend,
} from './test-support.ts';

describe('fitPls', () => {
  before(useWasmBackend);

  it('takes normalized X^T y as the first weight for one response', () => {
    const x = gaussianMatrix(50, 8, 1);
    const y = gaussianMatrix(50, 1, 2);

    const model = fitPls(x, y, 3);
    const direct = tf.tidy(() => {
      const xc = tf.sub(x, tf.mean(x, 0)) as tf.Tensor2D;
      const v = multiplyMatrices(xc, tf.sub(y, tf.mean(y)) as tf.Tensor2D, true);
      return tf.div(v, tf.norm(v)).reshape([-1]);
    });
    const first = tf.tidy(() => {
      const r = model.weights.slice([0, 0], [1, 8]);
      return tf.div(r, tf.norm(r)).reshape([-1]);
    });

    // The same direction; a weight's sign is arbitrary in PLS.
    const cosine = tf.tidy(() => tf.sum(tf.mul(first, direct)).dataSync()[0]!);
    assert.ok(Math.abs(Math.abs(cosine) - 1) < 1e-5, `cosine ${cosine}`);
    disposePls(model);
    tf.dispose([x, y, direct, first]);
  });

  it('gives orthonormal scores X r_a', () => {
    const x = gaussianMatrix(60, 10, 3);
    const y = gaussianMatrix(60, 4, 4);

    const model = fitPls(x, y, 5);
    const scores = tf.tidy(() => {
      const centered = tf.sub(x, model.xMean) as tf.Tensor2D;
      return multiplyMatrices(centered, model.weights, false, true);
    });
    const inner = multiplyMatrices(scores, scores, true);

    assertClose(inner.dataSync(), tf.eye(5).dataSync(), 1e-4, 'T^T T');
    disposePls(model);
    tf.dispose([x, y, scores, inner]);
  });

  it('equals least squares with as many components as features', () => {
    const x = gaussianMatrix(40, 6, 5);
    const y = gaussianMatrix(40, 3, 6);
    const test = gaussianMatrix(9, 6, 7);

    const pls = fitPls(x, y, 6);
    const ols = fitRidge(x, y, 0);
    const fromPls = predictPls(pls, test);
    const fromOls = predictRidge(ols, test);

    assert.equal(pls.components, 6);
    assert.ok(relativeError(fromPls.dataSync(), fromOls.dataSync()) < 1e-3);
    disposePls(pls);
    disposeRidge(ols);
    tf.dispose([x, y, test, fromPls, fromOls]);
  });

  it('stops early when X has fewer directions than components asked', () => {
    const x = gaussianMatrix(5, 20, 8);
    const y = gaussianMatrix(5, 2, 9);

    const model = fitPls(x, y, 25);

    assert.equal(model.components, 4);
    disposePls(model);
    tf.dispose([x, y]);
  });
});
