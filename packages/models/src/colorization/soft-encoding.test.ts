import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

import { ShapeError, createRandom } from '@hourglass/common';

import { computeInGamutAbBins, findNearestAbBin } from './ab-bins.ts';
import { encodeAbTargets, softEncodeAb } from './soft-encoding.ts';

const bins = computeInGamutAbBins(10);

// Truths on a bin centre, between bins, near the gamut's edge.
const VALUES: [number, number][] = [
  [0, 0],
  [13, -26.5],
  [-4.2, 61.9],
  [78, 66],
  [-84, 82],
];

describe('soft encoding of one ab value', () => {
  for (const [a, b] of VALUES) {
    it(`spreads (${a}, ${b}) over 5 bins that sum to 1, peaking at the nearest`, () => {
      const { indices, weights } = softEncodeAb(bins, a, b);

      assert.equal(indices.length, 5);
      assert.ok(Math.abs(weights.reduce((sum, w) => sum + w, 0) - 1) < 1e-12);
      assert.equal(indices[0], findNearestAbBin(bins, a, b));
      assert.equal(Math.max(...weights), weights[0]);
    });
  }

  it('weights bins by a Gaussian of their distance with sigma 5', () => {
    // (0, 0) is a centre; its four neighbours are 10 units away.
    const { indices, weights } = softEncodeAb(bins, 0, 0);

    const neighbour = Math.exp(-(10 ** 2) / (2 * 5 ** 2));
    const total = 1 + 4 * neighbour;
    assert.ok(Math.abs(weights[0]! - 1 / total) < 1e-12);
    weights.slice(1).forEach((weight) => {
      assert.ok(Math.abs(weight - neighbour / total) < 1e-12);
    });
    const centers = [...indices].map((q) => [bins.centers[2 * q], bins.centers[2 * q + 1]]);
    assert.deepEqual(centers[0], [0, 0]);
  });
});

describe('nearest-bin search of the soft encoding', () => {
  // Every bin by distance, ties by index: what the lattice search must find.
  function rankAllBins(a: number, b: number): { q: number; squared: number }[] {
    return Array.from({ length: bins.count }, (_, q) => {
      const da = bins.centers[2 * q]! - a;
      const db = bins.centers[2 * q + 1]! - b;
      return { q, squared: da * da + db * db };
    }).sort((x, y) => x.squared - y.squared || x.q - y.q);
  }

  it('finds the same bins as a search of all Q, in and out of gamut', () => {
    const random = createRandom(2);

    for (let i = 0; i < 400; i += 1) {
      const spread = i % 4 === 0 ? 400 : 200;
      const [a, b] = [(random() - 0.5) * spread, (random() - 0.5) * spread];
      const ranked = rankAllBins(a, b);
      const fifth = ranked[4]!.squared;
      const expected = ranked.filter(({ squared }) => squared <= fifth);

      const { indices } = softEncodeAb(bins, a, b);

      assert.deepEqual([...indices], expected.map(({ q }) => q), `(${a}, ${b})`);
    }
  });

  it('keeps a bin tied with the fifth nearest, so no order decides', () => {
    // (13, -27) is sqrt(178) from both (0, -30) and (10, -40).
    const { indices, weights } = softEncodeAb(bins, 13, -27);

    assert.equal(indices.length, 6);
    assert.equal(weights[4], weights[5]);
    assert.ok(Math.abs(weights.reduce((sum, w) => sum + w, 0) - 1) < 1e-12);
  });
});

describe('soft-encoded targets of ab images', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('matches the single-value encoding pixel by pixel on [1, 2, 4, 2]', () => {
    const random = createRandom(1);
    const values = [
      ...VALUES.flat(),
      ...Array.from({ length: 6 }, () => random() * 120 - 60),
    ];
    const ab = tf.tensor4d(values, [1, 2, 4, 2]);

    const { soft, nearest } = encodeAbTargets(ab, bins);

    assert.deepEqual(soft.shape, [1, 2, 4, bins.count]);
    assert.deepEqual(nearest.shape, [1, 2, 4]);
    const rows = soft.arraySync()[0]!.flat();
    const nearestBins = nearest.arraySync()[0]!.flat();
    rows.forEach((row, pixel) => {
      const [a, b] = [values[2 * pixel]!, values[2 * pixel + 1]!];
      const expected = new Float64Array(bins.count);
      const { indices, weights } = softEncodeAb(bins, a, b);
      indices.forEach((q, k) => (expected[q] = weights[k]!));
      row.forEach((value, q) => assert.ok(Math.abs(value - expected[q]!) < 1e-6));
      assert.equal(nearestBins[pixel], indices[0]);
    });
    tf.dispose([ab, soft, nearest]);
  });

  it('rejects ab images without two channels', () => {
    const lab = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;

    assert.throws(() => encodeAbTargets(lab, bins), ShapeError);
    lab.dispose();
  });
});
