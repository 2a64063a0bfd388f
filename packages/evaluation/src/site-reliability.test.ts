import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';

import { computeSiteReliability } from './site-reliability.ts';
import { spearmanBrown } from './spearman-brown.ts';
import { drawHalfSplits } from './split-halves.ts';
import {
  assertClose,
  gaussianMatrix,
  recordSyntheticSites,
  useWasmBackend,
} from './test-support.ts';

describe('spearmanBrown', () => {
  it('doubles a half-length reliability of 0.5 to 2/3', () => {
    assert.ok(Math.abs(spearmanBrown(0.5) - 2 / 3) < 1e-12);
  });

  it('applies the general factor: 0.6 tripled is 1.8 / 2.2', () => {
    assert.ok(Math.abs(spearmanBrown(0.6, 3) - 1.8 / 2.2) < 1e-12);
  });

  it('keeps 0 and 1 fixed', () => {
    assert.equal(spearmanBrown(0), 0);
    assert.equal(spearmanBrown(1), 1);
  });
});

describe('computeSiteReliability', () => {
  before(useWasmBackend);

  it('is 1 for every site of noiseless repetitions', () => {
    const layer = gaussianMatrix(50, 6, 1);
    const { trials, signal } = recordSyntheticSites(layer, 4, 6, 0, 2);

    const { reliability } = computeSiteReliability(trials);

    assertClose(reliability, [1, 1, 1, 1], 1e-5, 'reliability');
    tf.dispose([layer, trials, signal]);
  });

  it('recovers the reliability that the noise level implies', () => {
    // 1 / (1 + 4 / 16) = 0.8 for the mean of 16 repetitions.
    const layer = gaussianMatrix(1500, 6, 3);
    const { trials, signal } = recordSyntheticSites(layer, 5, 16, 2, 4);

    const { reliability, halfCorrelation } = computeSiteReliability(trials, {
      splits: 4,
    });

    assertClose(reliability, [0.8, 0.8, 0.8, 0.8, 0.8], 0.03, 'reliability');
    assertClose(halfCorrelation, [2 / 3, 2 / 3, 2 / 3, 2 / 3, 2 / 3], 0.04);
    tf.dispose([layer, trials, signal]);
  });
});

describe('drawHalfSplits', () => {
  it('draws disjoint halves of equal size, the same for the same seed', () => {
    const splits = drawHalfSplits(7, 3, 11);

    for (const [first, second] of splits) {
      assert.equal(first.length, 3);
      assert.equal(second.length, 3);
      const all = new Set([...first, ...second]);
      assert.equal(all.size, 6);
    }
    assert.deepEqual(drawHalfSplits(7, 3, 11), splits);
  });

  it('refuses a single repetition', () => {
    assert.throws(() => drawHalfSplits(1, 2, 0), /at least 2 repetitions/);
  });
});
