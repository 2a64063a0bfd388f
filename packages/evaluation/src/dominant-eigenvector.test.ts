import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createRandom, normal } from '@hourglass/common';

import { dominantEigenvector } from './dominant-eigenvector.ts';

/** S^T S for a random d x m matrix S, row-major. */
function randomGram(m: number, d: number, seed: number): Float64Array {
  const random = createRandom(seed);
  const s = Float64Array.from({ length: d * m }, () => normal(random));
  const gram = new Float64Array(m * m);
  for (let i = 0; i < m; i += 1) {
    for (let j = 0; j < m; j += 1) {
      let sum = 0;
      for (let k = 0; k < d; k += 1) sum += s[k * m + i]! * s[k * m + j]!;
      gram[i * m + j] = sum;
    }
  }
  return gram;
}

describe('dominantEigenvector', () => {
  it('finds the top eigenvector of a diagonal matrix', () => {
    const matrix = Float64Array.from([1, 0, 0, 0, 5, 0, 0, 0, 2]);

    const vector = dominantEigenvector(matrix, 3)!;

    assert.ok(Math.abs(Math.abs(vector[1]!) - 1) < 1e-9);
  });

  it('satisfies M x = lambda x with the largest lambda, closely spaced', () => {
    const m = 120;
    const matrix = randomGram(m, 400, 1);

    const x = dominantEigenvector(matrix, m)!;

    const mx = Array.from({ length: m }, (_, i) =>
      x.reduce((sum, value, j) => sum + matrix[i * m + j]! * value, 0),
    );
    const lambda = mx.reduce((sum, value, i) => sum + value * x[i]!, 0);
    const residual = Math.hypot(...mx.map((value, i) => value - lambda * x[i]!));
    assert.ok(residual < 1e-6 * lambda, `residual ${residual / lambda}`);
    // No eigenvalue exceeds the Rayleigh quotient: compare with a few
    // power steps from another start, which can only approach the top.
    let y = Float64Array.from({ length: m }, (_, i) => Math.cos(i));
    for (let step = 0; step < 300; step += 1) {
      const next = y.map((_, i) =>
        y.reduce((sum, value, j) => sum + matrix[i * m + j]! * value, 0),
      );
      const norm = Math.hypot(...next);
      y = next.map((value) => value / norm);
    }
    const power = y.reduce(
      (sum, value, i) =>
        sum + value * y.reduce((s, w, j) => s + matrix[i * m + j]! * w, 0),
      0,
    );
    assert.ok(lambda >= power * (1 - 1e-9));
  });

  it('gives undefined for a zero matrix', () => {
    assert.equal(dominantEigenvector(new Float64Array(4), 2), undefined);
  });
});
