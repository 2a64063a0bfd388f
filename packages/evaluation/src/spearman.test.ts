import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { pearsonCorrelation } from './correlation.ts';
import { rankWithTies, spearmanCorrelation } from './spearman.ts';

describe('rankWithTies', () => {
  it('gives 1-based ranks and averages ties', () => {
    const ranks = rankWithTies([10, 30, 20, 30, 5]);

    assert.deepEqual(Array.from(ranks), [2, 4.5, 3, 4.5, 1]);
  });
});

describe('spearmanCorrelation', () => {
  it('is 1 for any increasing transform and -1 for a decreasing one', () => {
    const x = [0.3, -1, 2.5, 0.1, 7, 3];

    assert.ok(Math.abs(spearmanCorrelation(x, x.map(Math.exp)) - 1) < 1e-12);
    assert.ok(Math.abs(spearmanCorrelation(x, x.map((v) => -v)) + 1) < 1e-12);
  });

  it('matches the textbook formula without ties', () => {
    const a = [1, 2, 3, 4, 5];
    const b = [2, 1, 4, 3, 5];
    // 1 - 6 sum(d^2) / (n (n^2 - 1)) with sum(d^2) = 4.
    assert.ok(Math.abs(spearmanCorrelation(a, b) - (1 - 24 / 120)) < 1e-12);
  });

  it('skips pairs with a NaN', () => {
    const rho = spearmanCorrelation([1, Number.NaN, 3, 4], [1, 9, 3, 4]);

    assert.ok(Math.abs(rho - 1) < 1e-12);
  });
});

describe('pearsonCorrelation', () => {
  it('is invariant to shifting and scaling either argument', () => {
    const a = [1, 4, 2, 8, 5];
    const b = [2, 3, 1, 9, 4];
    const r = pearsonCorrelation(a, b);

    const moved = pearsonCorrelation(a.map((v) => 3 * v - 2), b);
    assert.ok(Math.abs(moved - r) < 1e-12);
  });
});
