import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';
import { HourglassError } from '@hourglass/common';

import {
  assembleLower,
  disposeCholesky,
  factorCholesky,
  solveCholesky,
} from './cholesky.ts';
import { multiplyMatrices } from './mat-mul.ts';
import { gaussianMatrix, relativeError, useWasmBackend } from './test-support.ts';

function positiveDefinite(n: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const m = gaussianMatrix(n, n, seed);
    return tf.add(multiplyMatrices(m, m, false, true), tf.mul(tf.eye(n), n));
  });
}

describe('factorCholesky', () => {
  before(useWasmBackend);

  for (const [n, blockSize] of [
    [11, 4],
    [16, 4],
    [40, 256],
    // Diagonal blocks above 128 rows are factored recursively.
    [300, 256],
  ] as const) {
    it(`reproduces a [${n}, ${n}] matrix with blocks of ${blockSize}`, () => {
      const a = positiveDefinite(n, n);
      const factor = factorCholesky(a, blockSize);
      const lower = assembleLower(factor);
      const product = multiplyMatrices(lower, lower, false, true);

      assert.ok(relativeError(product.dataSync(), a.dataSync()) < 1e-5);
      const values = lower.arraySync();
      for (let i = 0; i < n; i += 1) {
        for (let j = i + 1; j < n; j += 1) assert.equal(values[i]![j], 0);
      }
      disposeCholesky(factor);
      tf.dispose([a, lower, product]);
    });
  }

  it('factors A + shift I without building it', () => {
    const a = positiveDefinite(23, 7);
    const shifted = tf.add(a, tf.mul(tf.eye(23), 3.5)) as tf.Tensor2D;

    const inPlace = factorCholesky(a, 5, 3.5);
    const direct = factorCholesky(shifted, 5);
    const ours = assembleLower(inPlace);
    const theirs = assembleLower(direct);

    assert.ok(relativeError(ours.dataSync(), theirs.dataSync()) < 1e-5);
    disposeCholesky(inPlace);
    disposeCholesky(direct);
    tf.dispose([a, shifted, ours, theirs]);
  });

  it('solves A X = B for several right-hand sides', () => {
    const a = positiveDefinite(23, 5);
    const b = gaussianMatrix(23, 3, 6);
    const factor = factorCholesky(a, 5);

    const x = solveCholesky(factor, b);
    const back = multiplyMatrices(a, x);

    assert.deepEqual(x.shape, [23, 3]);
    assert.ok(relativeError(back.dataSync(), b.dataSync()) < 1e-4);
    disposeCholesky(factor);
    tf.dispose([a, b, x, back]);
  });

  it('refuses a matrix that is not positive definite', () => {
    const a = tf.tensor2d([1, 2, 2, 1], [2, 2]);

    assert.throws(
      () => factorCholesky(a),
      (error: unknown) =>
        error instanceof HourglassError &&
        error.code === 'HG_NOT_POSITIVE_DEFINITE',
    );
    a.dispose();
  });

  it('leaves no tensors behind', () => {
    const a = positiveDefinite(12, 1);
    const b = gaussianMatrix(12, 2, 2);
    const before = tf.memory().numTensors;

    const factor = factorCholesky(a, 5);
    tf.dispose(solveCholesky(factor, b));
    disposeCholesky(factor);

    assert.equal(tf.memory().numTensors, before);
    tf.dispose([a, b]);
  });
});
