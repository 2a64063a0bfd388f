import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';

import { multiplyMatrices } from './mat-mul.ts';
import { assertClose, gaussianMatrix, useWasmBackend } from './test-support.ts';

describe('multiplyMatrices', () => {
  before(useWasmBackend);

  for (const [transposeA, transposeB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`matches tf.matMul with transposes ${transposeA}, ${transposeB}`, () => {
      const a = gaussianMatrix(6, 6, 1);
      const b = gaussianMatrix(6, 6, 2);

      const ours = multiplyMatrices(a, b, transposeA, transposeB);
      const theirs = tf.matMul(a, b, transposeA, transposeB);

      assertClose(ours.dataSync(), theirs.dataSync(), 1e-5);
      tf.dispose([a, b, ours, theirs]);
    });
  }

  it('stays right when a buffer is a right factor under two shapes', () => {
    const row = tf.tensor2d([[1, 2, 3, 4]]);

    const inner = multiplyMatrices(row, row, false, true);
    const scaled = multiplyMatrices(tf.tensor2d([[2]]), row);

    assert.deepEqual(Array.from(inner.dataSync()), [30]);
    assert.deepEqual(Array.from(scaled.dataSync()), [2, 4, 6, 8]);
    tf.dispose([row, inner, scaled]);
  });
});
