import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

import { ShapeError } from '@hourglass/common';

import { computeMeanAbError } from './mean-ab-error.ts';
import { computeRebalancedCrossEntropy } from './rebalanced-cross-entropy.ts';

describe('rebalanced cross-entropy', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('equals a hand computation on two pixels and three bins', () => {
    const logits = [
      [1, 2, 0],
      [0, 0, 3],
    ];
    const targets = [
      [0.2, 0.8, 0],
      [0, 0.5, 0.5],
    ];
    const weights = [2, 0.5];

    // -w * sum_q Z_q log softmax(z)_q per pixel, then the mean.
    const perPixel = logits.map((row, pixel) => {
      const logNormalizer = Math.log(row.reduce((sum, z) => sum + Math.exp(z), 0));
      const crossEntropy = -row.reduce(
        (sum, z, q) => sum + targets[pixel]![q]! * (z - logNormalizer),
        0,
      );
      return weights[pixel]! * crossEntropy;
    });
    const expected = (perPixel[0]! + perPixel[1]!) / 2;

    const loss = computeRebalancedCrossEntropy(
      tf.tensor4d(logits.flat(), [1, 1, 2, 3]),
      tf.tensor4d(targets.flat(), [1, 1, 2, 3]),
      tf.tensor3d(weights, [1, 1, 2]),
    );

    const actual = loss.dataSync()[0]!;
    assert.ok(Math.abs(actual - expected) < 1e-5, `${actual} vs ${expected}`);
    assert.equal(loss.rank, 0);
  });

  it('is the plain cross-entropy when every weight is 1', () => {
    const logits = tf.tensor4d([0.5, -0.5, 0.5, 1.5], [1, 2, 1, 2]);
    const targets = tf.tensor4d([1, 0, 0, 1], [1, 2, 1, 2]);

    const loss = computeRebalancedCrossEntropy(logits, targets, tf.ones([1, 2, 1]) as tf.Tensor3D);

    const expected = (Math.log(1 + Math.exp(-1)) + Math.log(1 + Math.exp(-1))) / 2;
    assert.ok(Math.abs(loss.dataSync()[0]! - expected) < 1e-6);
  });

  it('rejects targets or weights of another shape', () => {
    const logits = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    const targets = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    const wideTargets = tf.zeros([1, 2, 2, 4]) as tf.Tensor4D;
    const weights = tf.ones([1, 2, 2]) as tf.Tensor3D;
    const flatWeights = tf.ones([1, 4]) as unknown as tf.Tensor3D;

    assert.throws(
      () => computeRebalancedCrossEntropy(logits, wideTargets, weights),
      ShapeError,
    );
    assert.throws(
      () => computeRebalancedCrossEntropy(logits, targets, flatWeights),
      {
        message:
          'in computeRebalancedCrossEntropy: expected [1, 2, 2], got [1, 4]',
      },
    );
    tf.dispose([logits, targets, wideTargets, weights, flatWeights]);
  });
});

describe('mean ab error', () => {
  it('averages the Euclidean ab distance over pixels', () => {
    const predicted = tf.tensor4d([0, 0, 10, 10, 3, 4], [1, 1, 3, 2]);
    const truth = tf.tensor4d([3, 4, 10, 10, 0, 0], [1, 1, 3, 2]);

    const error = computeMeanAbError(predicted, truth);

    assert.ok(Math.abs(error.dataSync()[0]! - 10 / 3) < 1e-6);
  });

  it('rejects a truth of another shape', () => {
    const predicted = tf.zeros([1, 2, 2, 2]) as tf.Tensor4D;

    assert.throws(() => computeMeanAbError(predicted, tf.zeros([1, 2, 2, 3]) as tf.Tensor4D), {
      message: 'in computeMeanAbError: expected [1, 2, 2, 2], got [1, 2, 2, 3]',
    });
  });
});
