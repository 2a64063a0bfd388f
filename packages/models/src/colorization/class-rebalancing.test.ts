import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ValidationError, createRandom } from '@hourglass/common';

import { computeInGamutAbBins, findNearestAbBin } from './ab-bins.ts';
import {
  computeColorizationWeights,
  computeRebalancingWeights,
  countAbBins,
  createUniformRebalancingWeights,
  smoothAbDistribution,
} from './class-rebalancing.ts';

const bins = computeInGamutAbBins(10);
const grey = findNearestAbBin(bins, 0, 0);

// A mostly grey "training set" with some red and a little blue, as bytes.
function createTrainingPixels(): Uint8Array {
  const random = createRandom(5);
  const pixels: number[] = [];
  for (let i = 0; i < 4_000; i += 1) {
    const draw = random();
    const level = Math.floor(random() * 256);
    if (draw < 0.8) pixels.push(level, level, level);
    else if (draw < 0.97) pixels.push(200 + Math.floor(random() * 56), 20, 30);
    else pixels.push(10, 40, 180 + Math.floor(random() * 76));
  }
  return Uint8Array.from(pixels);
}

describe('ab bin counts', () => {
  it('counts every pixel at its nearest bin', () => {
    const pixels = Uint8Array.from([128, 128, 128, 255, 255, 255, 255, 0, 0]);

    const counts = countAbBins(pixels, bins, { pixelScale: 1 / 255 });

    assert.equal(counts.reduce((sum, n) => sum + n, 0), 3);
    assert.equal(counts[grey], 2);
    assert.equal(counts[findNearestAbBin(bins, 80.09, 67.2)], 1);
  });

  it('gives the same counts for bytes and for floats in [0, 1]', () => {
    const bytes = createTrainingPixels().subarray(0, 3_000);
    const floats = Float32Array.from(bytes, (value) => value / 255);

    const fromBytes = countAbBins(bytes, bins, { pixelScale: 1 / 255 });
    const fromFloats = countAbBins(floats, bins);

    assert.deepEqual(fromFloats, fromBytes);
  });

  it('adds to given counts, so an image set can be counted in parts', () => {
    const pixels = createTrainingPixels();
    const whole = countAbBins(pixels, bins, { pixelScale: 1 / 255 });

    const parts = countAbBins(pixels.subarray(0, 6_000), bins, { pixelScale: 1 / 255 });
    countAbBins(pixels.subarray(6_000), bins, { pixelScale: 1 / 255, counts: parts });

    assert.deepEqual(parts, whole);
  });

  it('rejects pixels that are not RGB triples', () => {
    assert.throws(() => countAbBins([0.5, 0.5], bins), ValidationError);
  });
});

describe('class-rebalancing weights', () => {
  const counts = countAbBins(createTrainingPixels(), bins, { pixelScale: 1 / 255 });
  const smoothed = smoothAbDistribution(counts, bins, 5);
  const weights = computeRebalancingWeights(counts, bins);

  it('has one weight per bin, with expectation 1 under the smoothed distribution', () => {
    const expectation = smoothed.reduce((sum, p, q) => sum + p * weights[q]!, 0);

    assert.equal(weights.length, bins.count);
    assert.ok(Math.abs(expectation - 1) < 1e-5, `E[w] = ${expectation}`);
  });

  it('gives rare bins larger weights than common ones', () => {
    const order = Array.from(smoothed.keys()).sort((p, q) => smoothed[p]! - smoothed[q]!);

    for (let i = 1; i < order.length; i += 1) {
      assert.ok(weights[order[i]!]! <= weights[order[i - 1]!]! * (1 + 1e-6));
    }
    const blue = findNearestAbBin(bins, 30, -80);
    assert.ok(weights[grey]! < 0.1, `grey: ${weights[grey]}`);
    assert.ok(weights[grey]! < weights[blue]!);
  });

  it('follows ((1 - lambda) p~ + lambda / Q)^-1 up to one factor', () => {
    const lambda = 0.5;
    const raw = smoothed.map((p) => 1 / ((1 - lambda) * p + lambda / bins.count));

    const ratios = raw.map((value, q) => weights[q]! / value);
    assert.ok(Math.max(...ratios) / Math.min(...ratios) - 1 < 1e-5);
  });

  it('is 1 everywhere when lambda is 1 (uniform prior)', () => {
    const flat = computeRebalancingWeights(counts, bins, { sigma: 5, lambda: 1 });

    assert.ok(flat.every((value) => Math.abs(value - 1) < 1e-5));
    assert.deepEqual(createUniformRebalancingWeights(bins), new Float32Array(bins.count).fill(1));
  });

  it('smooths the distribution into a normalized one that spreads to neighbours', () => {
    const onlyGrey = new Float64Array(bins.count);
    onlyGrey[grey] = 7;

    const spread = smoothAbDistribution(onlyGrey, bins, 5);

    assert.ok(Math.abs(spread.reduce((sum, p) => sum + p, 0) - 1) < 1e-12);
    const neighbour = findNearestAbBin(bins, 10, 0);
    assert.ok(Math.abs(spread[neighbour]! / spread[grey]! - Math.exp(-2)) < 1e-12);
  });

  it('rejects empty counts and a lambda of 0', () => {
    const empty = new Float64Array(bins.count);

    assert.throws(() => computeRebalancingWeights(empty, bins), ValidationError);
    assert.throws(
      () => computeRebalancingWeights(counts, bins, { sigma: 5, lambda: 0 }),
      { name: 'ValidationError', message: /lambda: expected \(0, 1\], got 0/ },
    );
  });

  it('is what a colorization spec asks for, from its training pixels', () => {
    const pixels = createTrainingPixels();
    const spec = {
      gridSize: 10,
      binSet: 'srgb',
      rebalancingSigma: 5,
      rebalancingLambda: 0.25,
    } as const;

    const fromSpec = computeColorizationWeights(spec, pixels, 1 / 255);

    const direct = computeRebalancingWeights(counts, bins, { sigma: 5, lambda: 0.25 });
    assert.deepEqual(fromSpec, direct);
  });
});
