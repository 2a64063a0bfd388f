import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';

import { computeGram } from './gram-matrix.ts';
import { predictKernelRidgeCv, predictWithPenalty } from './kernel-ridge-cv.ts';
import { multiplyMatrices } from './mat-mul.ts';
import { disposeRidge, fitRidge, predictRidge } from './ridge-regression.ts';
import { gaussianMatrix, relativeError, useWasmBackend } from './test-support.ts';

describe('kernel ridge', () => {
  before(useWasmBackend);

  it('predicts what primal ridge with an intercept predicts', () => {
    const x = tf.tidy(() => tf.add(gaussianMatrix(30, 12, 1), 2)) as tf.Tensor2D;
    const y = gaussianMatrix(30, 3, 2);
    const test = gaussianMatrix(7, 12, 3);

    const gram = computeGram(x);
    const cross = multiplyMatrices(test, x, false, true);
    const kernel = predictWithPenalty(gram, cross, y, 4);
    const model = fitRidge(x, y, 4);
    const primal = predictRidge(model, test);

    assert.ok(relativeError(kernel.dataSync(), primal.dataSync()) < 1e-3);
    disposeRidge(model);
    tf.dispose([x, y, test, gram, cross, kernel, primal]);
  });

  it('computes a blocked Gram matrix equal to X X^T', () => {
    const x = gaussianMatrix(23, 5, 4);

    const blocked = computeGram(x, 6);
    const direct = tf.matMul(x, x, false, true);

    assert.ok(relativeError(blocked.dataSync(), direct.dataSync()) < 1e-6);
    tf.dispose([x, blocked, direct]);
  });

  it('sums a Gram matrix of 2,100 features over chunks, exactly symmetric',
    () => {
      const x = gaussianMatrix(13, 2100, 8);

      const blocked = computeGram(x, 4);
      const direct = tf.matMul(x, x, false, true);

      const values = blocked.arraySync();
      assert.ok(relativeError(blocked.dataSync(), direct.dataSync()) < 1e-5);
      for (let i = 0; i < 13; i += 1) {
        for (let j = 0; j < i; j += 1) assert.equal(values[i]![j], values[j]![i]);
      }
      tf.dispose([x, blocked, direct]);
    });

  it('picks a small penalty for clean data and a large one for noise', () => {
    const x = gaussianMatrix(120, 10, 5);
    const weights = gaussianMatrix(10, 2, 6);
    const clean = tf.matMul(x, weights) as tf.Tensor2D;
    const noise = gaussianMatrix(120, 2, 7);
    const alphas = [0.001, 0.1, 10, 1000];

    const fit = (y: tf.Tensor2D): number => {
      const gram = computeGram(x);
      const fold = { train: gram, testTrain: gram, responses: y };
      const result = predictKernelRidgeCv(fold, { alphas });
      tf.dispose([gram, result.predictions]);
      return result.alpha;
    };

    assert.equal(fit(clean), 0.001);
    assert.equal(fit(noise), 1000);
    tf.dispose([x, weights, clean, noise]);
  });
});
