import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  decideAtRung,
  findCrossedRungs,
  listRungs,
  summarizeAtRung,
} from './successive-halving.ts';

describe('listRungs', () => {
  test('rungs grow by eta from minSteps and stop below the total', () => {
    assert.deepEqual(listRungs({ minSteps: 10, reductionFactor: 3 }, 300), [10, 30, 90, 270]);
    assert.deepEqual(listRungs({ minSteps: 10, reductionFactor: 3 }, 270), [10, 30, 90]);
    assert.deepEqual(listRungs({ minSteps: 50, reductionFactor: 2 }, 40), []);
  });
});

describe('findCrossedRungs', () => {
  test('a batch of steps crosses the rungs after its start, up to and with its end', () => {
    const rungs = [10, 30, 90];

    assert.deepEqual(findCrossedRungs(rungs, 5, 10), [10]);
    assert.deepEqual(findCrossedRungs(rungs, 10, 29), []);
    assert.deepEqual(findCrossedRungs(rungs, 0, 100), [10, 30, 90]);
  });
});

describe('summarizeAtRung', () => {
  test('the value at a rung is the mean of the last window values', () => {
    assert.equal(summarizeAtRung([9, 1, 2, 3], 3), 2);
    assert.equal(summarizeAtRung([4], 5), 4);
    assert.ok(Number.isNaN(summarizeAtRung([], 5)));
  });
});

describe('decideAtRung', () => {
  test('the first run to reach a rung goes on', () => {
    const decision = decideAtRung({ value: 5, rivals: [], reductionFactor: 3, mode: 'min' });

    assert.deepEqual(decision, { isPromoted: true, rank: 1, contenders: 1, promotable: 1 });
  });

  test('with fewer runs than eta at the rung, only the best so far goes on', () => {
    const better = decideAtRung({ value: 1, rivals: [2], reductionFactor: 3, mode: 'min' });
    const worse = decideAtRung({ value: 3, rivals: [2], reductionFactor: 3, mode: 'min' });

    assert.equal(better.isPromoted, true);
    assert.equal(worse.isPromoted, false);
    assert.equal(worse.rank, 2);
  });

  test('a run in the top 1/eta goes on and one just below it stops', () => {
    const rivals = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];

    const second = decideAtRung({ value: 0.15, rivals, reductionFactor: 3, mode: 'min' });
    const third = decideAtRung({ value: 0.25, rivals, reductionFactor: 3, mode: 'min' });

    assert.deepEqual(second, { isPromoted: true, rank: 2, contenders: 9, promotable: 3 });
    assert.equal(third.rank, 3);
    assert.equal(third.isPromoted, true);
    const fourth = decideAtRung({ value: 0.35, rivals, reductionFactor: 3, mode: 'min' });
    assert.equal(fourth.isPromoted, false);
  });

  test('with mode max, larger values are better', () => {
    const high = decideAtRung({ value: 0.9, rivals: [0.5, 0.1], reductionFactor: 2, mode: 'max' });
    const low = decideAtRung({ value: 0.2, rivals: [0.5, 0.1], reductionFactor: 2, mode: 'max' });

    assert.equal(high.isPromoted, true);
    assert.equal(low.isPromoted, false);
  });

  test('a tie with the best shares its rank and goes on', () => {
    const decision = decideAtRung({ value: 1, rivals: [1, 2, 3], reductionFactor: 4, mode: 'min' });

    assert.equal(decision.rank, 1);
    assert.equal(decision.isPromoted, true);
  });

  test('a run whose value is not finite stops, and a rival that is not finite is beaten', () => {
    const diverged = decideAtRung({ value: NaN, rivals: [], reductionFactor: 2, mode: 'min' });
    const beside = decideAtRung({ value: 4, rivals: [Infinity], reductionFactor: 2, mode: 'min' });

    assert.equal(diverged.isPromoted, false);
    assert.equal(beside.isPromoted, true);
  });
});
