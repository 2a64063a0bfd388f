import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';

import {
  disposeStandardizer,
  fitStandardizer,
  standardize,
} from './standardizer.ts';
import { assertClose, useWasmBackend } from './test-support.ts';

describe('standardizer', () => {
  before(useWasmBackend);

  it('gives the training split zero mean and unit variance', () => {
    const train = tf.tensor2d([
      [1, 10],
      [3, 30],
      [5, 20],
    ]);

    const standardizer = fitStandardizer(train);
    const z = standardize(train, standardizer);
    const { mean, variance } = tf.moments(z, 0);

    assertClose(mean.dataSync(), [0, 0], 1e-6, 'mean');
    assertClose(variance.dataSync(), [1, 1], 1e-5, 'variance');
    disposeStandardizer(standardizer);
    tf.dispose([train, z, mean, variance]);
  });

  it('applies the training statistics to another split', () => {
    const train = tf.tensor2d([[0], [2]]);
    const test = tf.tensor2d([[4]]);

    const standardizer = fitStandardizer(train);
    const z = standardize(test, standardizer);

    // Training mean 1, standard deviation 1.
    assertClose(z.dataSync(), [3], 1e-6);
    disposeStandardizer(standardizer);
    tf.dispose([train, test, z]);
  });

  it('zeroes a feature that is constant on the training split', () => {
    const train = tf.tensor2d([
      [0, 1],
      [0, 3],
    ]);
    const test = tf.tensor2d([[5, 2]]);

    const standardizer = fitStandardizer(train);
    const z = standardize(test, standardizer);

    assertClose(z.dataSync(), [0, 0], 1e-6);
    disposeStandardizer(standardizer);
    tf.dispose([train, test, z]);
  });

  it('accumulates statistics over row chunks like one pass would', () => {
    const values = Float32Array.from({ length: 5000 * 2 }, (_, i) =>
      Math.sin(i) * 3 + (i % 2) * 100,
    );
    const train = tf.tensor2d(values, [5000, 2]);

    const standardizer = fitStandardizer(train);
    const { mean, variance } = tf.moments(train, 0);

    assertClose(standardizer.mean.dataSync(), mean.dataSync(), 1e-3);
    const scale = Array.from(variance.dataSync(), (v) => 1 / Math.sqrt(v));
    assertClose(standardizer.scale.dataSync(), scale, 1e-4);
    assert.equal(standardizer.scale.shape[0], 2);
    disposeStandardizer(standardizer);
    tf.dispose([train, mean, variance]);
  });
});
