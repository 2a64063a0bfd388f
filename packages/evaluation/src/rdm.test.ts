import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';

import { averageGroups } from './group-average.ts';
import {
  compareRdms,
  computeCategoryRdm,
  computeRdm,
  upperTriangle,
} from './rdm.ts';
import { computeRdmCeiling } from './rdm-ceiling.ts';
import { evaluateRsa } from './rsa.ts';
import {
  assertClose,
  gaussianMatrix,
  recordSyntheticSites,
  useWasmBackend,
} from './test-support.ts';

describe('computeRdm', () => {
  before(useWasmBackend);

  it('is 1 - Pearson r between stimuli, 0 on the diagonal', () => {
    const responses = tf.tensor2d([
      [1, 2, 3],
      [2, 4, 6],
      [3, 2, 1],
    ]);

    const rdm = computeRdm(responses);

    assertClose(rdm.dataSync(), [0, 0, 2, 0, 0, 2, 2, 2, 0], 1e-5, 'rdm');
    tf.dispose([responses, rdm]);
  });

  it('gives RSA 1 for identical representations', () => {
    const features = gaussianMatrix(30, 12, 1);
    const scaled = tf.tidy(() => tf.add(tf.mul(features, 3), 1)) as tf.Tensor2D;

    const a = computeRdm(features);
    const b = computeRdm(scaled);

    assert.ok(Math.abs(compareRdms(a, b) - 1) < 1e-9);
    tf.dispose([features, scaled, a, b]);
  });

  it('gives RSA near 0 for unrelated representations', () => {
    const a = computeRdm(gaussianMatrix(60, 20, 2));
    const b = computeRdm(gaussianMatrix(60, 20, 3));

    assert.ok(Math.abs(compareRdms(a, b)) < 0.1);
    tf.dispose([a, b]);
  });
});

describe('upperTriangle', () => {
  it('reads the entries above the diagonal row by row', () => {
    const matrix = tf.tensor2d([
      [0, 1, 2],
      [1, 0, 3],
      [2, 3, 0],
    ]);

    assert.deepEqual(Array.from(upperTriangle(matrix)), [1, 2, 3]);
    matrix.dispose();
  });
});

describe('computeCategoryRdm', () => {
  it('is 0 within a category and 1 between categories', () => {
    const rdm = computeCategoryRdm(['cars', 'faces', 'cars']);

    assert.deepEqual(Array.from(rdm.dataSync()), [0, 1, 0, 1, 0, 1, 0, 1, 0]);
    rdm.dispose();
  });
});

describe('averageGroups', () => {
  it('averages the rows of each label in order of first appearance', () => {
    const responses = tf.tensor2d([
      [1, 2],
      [10, 20],
      [3, 4],
    ]);

    const { responses: means, groups } = averageGroups(responses, [
      'a',
      'b',
      'a',
    ]);

    assert.deepEqual(groups, ['a', 'b']);
    assertClose(means.dataSync(), [2, 3, 10, 20], 1e-6, 'means');
    tf.dispose([responses, means]);
  });
});

describe('computeRdmCeiling', () => {
  it('is 1 for noiseless repetitions', () => {
    const layer = gaussianMatrix(25, 5, 4);
    const { trials, signal } = recordSyntheticSites(layer, 8, 4, 0, 5);

    const ceiling = computeRdmCeiling(trials, { splits: 3 });

    assert.ok(Math.abs(ceiling.ceiling - 1) < 1e-9);
    assert.equal(ceiling.halfCorrelations.length, 3);
    tf.dispose([layer, trials, signal]);
  });

  it('falls below 1 with noise, and is the same for the same seed', () => {
    const layer = gaussianMatrix(25, 5, 6);
    const { trials, signal } = recordSyntheticSites(layer, 8, 4, 1, 7);

    const first = computeRdmCeiling(trials, { splits: 3, seed: 9 });
    const again = computeRdmCeiling(trials, { splits: 3, seed: 9 });

    assert.ok(first.ceiling < 0.99 && first.ceiling > 0);
    assert.deepEqual(again, first);
    tf.dispose([layer, trials, signal]);
  });
});

describe('evaluateRsa', () => {
  it('scores the layer the neurons were built from near its ceiling', () => {
    const objects = Array.from({ length: 40 }, (_, i) => `object-${i % 8}`);
    const categories = objects.map((object) =>
      Number(object.slice(7)) < 4 ? 'animals' : 'boats',
    );
    const layer = gaussianMatrix(40, 30, 8);
    const { trials, signal } = recordSyntheticSites(layer, 30, 6, 0, 9);

    const result = evaluateRsa(
      { features: signal, trials, objects, categories },
      { splits: 2 },
    );

    assert.ok(Math.abs(result.image.modelVsNeural - 1) < 1e-6);
    assert.ok(Math.abs(result.image.normalized - 1) < 1e-6);
    assert.ok(Math.abs((result.object?.modelVsNeural ?? 0) - 1) < 1e-6);
    assert.equal(result.modelVsCategory, result.neuralVsCategory);
    tf.dispose([layer, trials, signal]);
  });
});
