import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createRandom } from '@hourglass/common';

import { countGridValues, listGridValues, sampleValue } from './parameter-values.ts';
import { RangeSpec } from './sweep-spec.ts';

describe('listGridValues', () => {
  test('a uniform range gives evenly spaced points with both ends included', () => {
    const range = RangeSpec.parse({ distribution: 'uniform', min: 0, max: 1, steps: 5 });

    assert.deepEqual(listGridValues(range), [0, 0.25, 0.5, 0.75, 1]);
  });

  test('a log-uniform range gives points evenly spaced in log10, tidied to exact decades', () => {
    const range = RangeSpec.parse({ distribution: 'log-uniform', min: 1e-4, max: 1e-1, steps: 4 });

    assert.deepEqual(listGridValues(range), [1e-4, 1e-3, 1e-2, 1e-1]);
  });

  test('an integer range without steps gives every integer from min to max', () => {
    const range = RangeSpec.parse({ distribution: 'integer', min: 3, max: 7 });

    assert.deepEqual(listGridValues(range), [3, 4, 5, 6, 7]);
    assert.equal(countGridValues(range), 5);
  });

  test('an integer range with more steps than integers counts each integer once', () => {
    const range = RangeSpec.parse({ distribution: 'integer', min: 1, max: 3, steps: 7 });

    assert.deepEqual(listGridValues(range), [1, 2, 3]);
    assert.equal(countGridValues(range), 3);
  });

  test('one step gives min alone', () => {
    const range = RangeSpec.parse({ distribution: 'uniform', min: 2, max: 9, steps: 1 });

    assert.deepEqual(listGridValues(range), [2]);
  });
});

describe('sampleValue', () => {
  test('log-uniform draws stay within the bounds and cover every decade', () => {
    const range = RangeSpec.parse({ distribution: 'log-uniform', min: 1e-5, max: 1e-1 });
    const random = createRandom(11);

    const draws = Array.from({ length: 2_000 }, () => sampleValue(range, random) as number);

    assert.ok(draws.every((value) => value >= 1e-5 && value <= 1e-1));
    const decades = new Set(draws.map((value) => Math.floor(Math.log10(value))));
    assert.deepEqual([...decades].sort((a, b) => a - b), [-5, -4, -3, -2]);
    // About a quarter of the draws land in each decade, as log-uniform means.
    const lowest = draws.filter((value) => value < 1e-4).length / draws.length;
    assert.ok(Math.abs(lowest - 0.25) < 0.05, `share in the lowest decade ${lowest}`);
  });

  test('integer draws are whole numbers and reach both bounds', () => {
    const range = RangeSpec.parse({ distribution: 'integer', min: -2, max: 2 });
    const random = createRandom(5);

    const draws = Array.from({ length: 500 }, () => sampleValue(range, random) as number);

    assert.ok(draws.every(Number.isInteger));
    assert.deepEqual([...new Set(draws)].sort((a, b) => a - b), [-2, -1, 0, 1, 2]);
  });

  test('uniform draws stay within [min, max)', () => {
    const range = RangeSpec.parse({ distribution: 'uniform', min: 0.5, max: 0.75 });
    const random = createRandom(2);

    const draws = Array.from({ length: 500 }, () => sampleValue(range, random) as number);

    assert.ok(draws.every((value) => value >= 0.5 && value < 0.75));
  });
});
