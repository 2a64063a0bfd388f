import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';
import { ValidationError } from '@hourglass/common';

import { fitNeuralSites, median } from './neural-fit.ts';
import type { NeuralFitMethod } from './neural-fit.ts';
import { computeSiteReliability } from './site-reliability.ts';
import { averageRepetitions } from './split-halves.ts';
import {
  gaussianMatrix,
  recordSyntheticSites,
  useWasmBackend,
} from './test-support.ts';

describe('fitNeuralSites', () => {
  before(useWasmBackend);

  // Reliability of the trial mean: 1 / (1 + 2.5 / 10) = 0.8.
  const IMAGES = 400;
  const REPETITIONS = 10;
  const NOISE = Math.sqrt(2.5);

  for (const method of ['ridge', 'pls'] as NeuralFitMethod[]) {
    it(`explains the planted layer near the ceiling with ${method}`, () => {
      const layer = gaussianMatrix(IMAGES, 30, 1);
      const randomLayer = gaussianMatrix(IMAGES, 30, 2);
      const { trials, signal } = recordSyntheticSites(
        layer,
        12,
        REPETITIONS,
        NOISE,
        3,
      );
      const responses = averageRepetitions(trials);
      const { reliability } = computeSiteReliability(trials);
      const options = { method, plsComponents: 12, folds: 4 };

      const planted = fitNeuralSites(
        { features: layer, responses, reliability },
        options,
      );
      const unrelated = fitNeuralSites(
        { features: randomLayer, responses, reliability },
        options,
      );

      assert.ok(Math.abs(median(Array.from(reliability)) - 0.8) < 0.05);
      assert.equal(planted.reliableSites, 12);
      const ceilingScore = planted.medianNormalizedExplainedVariance;
      assert.ok(
        ceilingScore > 0.9 && ceilingScore < 1.1,
        `planted layer: ${ceilingScore}`,
      );
      assert.ok(
        unrelated.medianNormalizedExplainedVariance < 0.1,
        `random layer: ${unrelated.medianNormalizedExplainedVariance}`,
      );
      tf.dispose([layer, randomLayer, trials, signal, responses]);
    });
  }

  it('reports the penalty each ridge fold chose', () => {
    const layer = gaussianMatrix(60, 8, 4);
    const { trials, signal } = recordSyntheticSites(layer, 3, 4, 0.5, 5);
    const responses = averageRepetitions(trials);

    const result = fitNeuralSites(
      { features: layer, responses, reliability: [1, 1, 1] },
      { folds: 3, ridge: { alphas: [0.01, 100] } },
    );

    assert.equal(result.alphas?.length, 3);
    assert.ok(result.alphas?.every((alpha) => alpha === 0.01));
    tf.dispose([layer, trials, signal, responses]);
  });

  it('leaves unreliable sites out of the median', () => {
    const layer = gaussianMatrix(60, 8, 6);
    const { trials, signal } = recordSyntheticSites(layer, 3, 4, 0.5, 7);
    const responses = averageRepetitions(trials);

    const result = fitNeuralSites(
      { features: layer, responses, reliability: [0.9, 0.2, 0.95] },
      { folds: 3 },
    );

    assert.equal(result.reliableSites, 2);
    assert.equal(result.normalizedExplainedVariance.length, 3);
    tf.dispose([layer, trials, signal, responses]);
  });

  it('refuses a reliability vector of the wrong length', () => {
    const layer = gaussianMatrix(20, 4, 8);
    const responses = gaussianMatrix(20, 3, 9);

    assert.throws(
      () => fitNeuralSites({ features: layer, responses, reliability: [1] }),
      ValidationError,
    );
    tf.dispose([layer, responses]);
  });
});
