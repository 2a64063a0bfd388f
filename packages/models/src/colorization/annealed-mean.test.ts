import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

import { annealProbabilities, computeAnnealedMeanAb } from './annealed-mean.ts';

// Four bins and one pixel whose distribution has a clear mode at bin 2.
const CENTERS = [
  [0, 0],
  [40, 0],
  [0, 60],
  [-30, -30],
];
const PROBABILITIES = [0.1, 0.2, 0.4, 0.3];

function meanAb(temperature: number): number[] {
  return tf.tidy(() => {
    const logits = tf.log(tf.tensor4d(PROBABILITIES, [1, 1, 1, 4]));
    const centers = tf.tensor2d(CENTERS);
    return [...computeAnnealedMeanAb(logits as tf.Tensor4D, centers, temperature).dataSync()];
  });
}

describe('annealed-mean decoding', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('equals the mean over bin centres at T = 1', () => {
    const expected = [0, 1].map((axis) =>
      PROBABILITIES.reduce((sum, p, q) => sum + p * CENTERS[q]![axis]!, 0),
    );

    const ab = meanAb(1);

    ab.forEach((value, axis) => assert.ok(Math.abs(value - expected[axis]!) < 1e-4));
  });

  it('approaches the mode as T goes to 0', () => {
    const mode = CENTERS[2]!;
    const distanceToMode = (temperature: number) =>
      Math.hypot(...meanAb(temperature).map((value, i) => value - mode[i]!));

    const [warm, paper, cold] = [1, 0.38, 0.01].map(distanceToMode) as [
      number,
      number,
      number,
    ];

    assert.ok(warm > paper && paper > cold, `${warm} > ${paper} > ${cold}`);
    assert.ok(cold < 1e-6);
  });

  it('gives softmax(logits / T), the same as annealing softmax(logits)', () => {
    const values = [0.3, -1.2, 2.0, 0.7, 1.1, 1.1, -3, 0];
    const logits = tf.tensor4d(values, [1, 1, 2, 4]);
    const centers = tf.tensor2d(CENTERS);

    const annealed = tf.tidy(() =>
      annealProbabilities(tf.softmax(logits), 0.38),
    );
    const ab = computeAnnealedMeanAb(logits, centers, 0.38);

    const expected = tf.tidy(() =>
      tf.matMul(tf.reshape(annealed, [2, 4]) as tf.Tensor2D, centers),
    );
    const difference = tf.tidy(() => {
      const flatAb = tf.reshape(ab, [2, 2]);
      return tf.max(tf.abs(tf.sub(flatAb, expected))).dataSync()[0]!;
    });
    assert.ok(difference < 1e-4, `differs by ${difference}`);
    assert.deepEqual(ab.shape, [1, 1, 2, 2]);
    const sums = tf.tidy(() => [...tf.sum(annealed, -1).dataSync()]);
    sums.forEach((sum) => assert.ok(Math.abs(sum - 1) < 1e-6));
    tf.dispose([logits, centers, annealed, ab, expected]);
  });

  it('rejects logits whose last axis is not Q', () => {
    const logits = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    const centers = tf.tensor2d(CENTERS);

    assert.throws(() => computeAnnealedMeanAb(logits, centers), {
      name: 'ShapeError',
      message: 'in computeAnnealedMeanAb: expected [n, h, w, 4], got [1, 2, 2, 3]',
    });
    tf.dispose([logits, centers]);
  });
});
