import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ValidationError, createRandom } from '@hourglass/common';

import { computeAbBins, computeInGamutAbBins, findNearestAbBin } from './ab-bins.ts';
import { convertSrgbToLab } from './cielab.ts';

function centersOf(gridSize: number): string[] {
  const { count, centers } = computeInGamutAbBins(gridSize);
  return Array.from({ length: count }, (_, q) => `${centers[2 * q]},${centers[2 * q + 1]}`);
}

function findNearestByBruteForce(a: number, b: number): number {
  const { count, centers } = computeInGamutAbBins(10);
  let nearest = -1;
  let nearestDistance = Infinity;
  for (let q = 0; q < count; q += 1) {
    const distance = (centers[2 * q]! - a) ** 2 + (centers[2 * q + 1]! - b) ** 2;
    if (distance < nearestDistance) [nearest, nearestDistance] = [q, distance];
  }
  return nearest;
}

describe('in-gamut ab bins', () => {
  it('keeps 309 bins for grid 10 (the paper lists 313, see ab-bins.ts)', () => {
    // The paper's 313 include four points 13 to 15 units outside the sRGB
    // gamut that no sampling or rounding of the gamut gives; ours are a
    // subset of theirs. The rule is explained where it is implemented.
    assert.equal(computeInGamutAbBins(10).count, 309);
  });

  it('has the published 313 bins in the zhang-2016 set: the sRGB 309 and four more', () => {
    const published = computeAbBins(10, 'zhang-2016');
    const names = new Set(
      Array.from({ length: published.count }, (_, q) =>
        `${published.centers[2 * q]},${published.centers[2 * q + 1]}`,
      ),
    );

    assert.equal(published.count, 313);
    assert.ok(centersOf(10).every((name) => names.has(name)));
    for (const name of ['40,90', '100,-90', '100,-10', '100,0']) {
      assert.ok(names.has(name), name);
    }
    assert.equal(findNearestAbBin(published, 100, 0), [...names].indexOf('100,0'));
    assert.equal(computeAbBins(10, 'srgb'), computeInGamutAbBins(10));
  });

  it('refuses the published set at another grid size, naming binSet', () => {
    assert.throws(() => computeAbBins(20, 'zhang-2016'), /binSet: the zhang-2016 bins/);
  });

  it('keeps more bins for a finer grid and fewer for a coarser one', () => {
    const coarse = computeInGamutAbBins(20).count;
    const fine = computeInGamutAbBins(5).count;

    assert.ok(coarse < 309 && fine > 309, `grid 20: ${coarse}, grid 5: ${fine}`);
  });

  it('places centres on the grid, sorted by a and then b, with grey among them', () => {
    const { count, centers } = computeInGamutAbBins(10);
    const names = centersOf(10);

    assert.ok(centers.every((value) => value % 10 === 0));
    for (let q = 1; q < count; q += 1) {
      const [a, b] = [centers[2 * q]!, centers[2 * q + 1]!];
      const [previousA, previousB] = [centers[2 * q - 2]!, centers[2 * q - 1]!];
      assert.ok(a > previousA || (a === previousA && b > previousB), `bin ${q}`);
    }
    assert.ok(names.includes('0,0'));
    assert.ok(names.includes('80,70'), 'the bin of pure red');
    assert.ok(names.includes('-90,80'), 'the bin of pure green');
    assert.ok(!names.includes('-100,100') && !names.includes('100,100'));
  });

  it('has every in-gamut colour surrounded by bins on all four sides', () => {
    const random = createRandom(3);
    const names = new Set(centersOf(10));

    for (let i = 0; i < 2_000; i += 1) {
      const [, a, b] = convertSrgbToLab([random(), random(), random()]);
      for (const ca of [Math.floor(a / 10), Math.ceil(a / 10)]) {
        for (const cb of [Math.floor(b / 10), Math.ceil(b / 10)]) {
          assert.ok(names.has(`${ca * 10},${cb * 10}`), `(${a}, ${b})`);
        }
      }
    }
  });

  it('finds the nearest bin of in- and out-of-gamut values as a full search does', () => {
    const random = createRandom(4);
    const bins = computeInGamutAbBins(10);

    for (let i = 0; i < 500; i += 1) {
      const [, a, b] = convertSrgbToLab([random(), random(), random()]);
      assert.equal(findNearestAbBin(bins, a, b), findNearestByBruteForce(a, b));
      const [far, away] = [(random() - 0.5) * 400, (random() - 0.5) * 400];
      assert.equal(findNearestAbBin(bins, far, away), findNearestByBruteForce(far, away));
    }
  });

  it('computes each grid size once and shares the result', () => {
    assert.equal(computeInGamutAbBins(10), computeInGamutAbBins(10));
    assert.ok(Object.isFrozen(computeInGamutAbBins(10)));
  });

  it('rejects a grid size outside [1, 130]', () => {
    assert.throws(() => computeInGamutAbBins(0), ValidationError);
    assert.throws(() => computeInGamutAbBins(Number.NaN), ValidationError);
  });
});
