import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { rankByMetric, readVariedParameters } from './leaderboard.ts';
import { SweepSpec } from './sweep-spec.ts';
import { describeSweepStatus, type SweepRunCounts } from './sweep-status.ts';

const none: SweepRunCounts = {
  queued: 0,
  running: 0,
  succeeded: 0,
  failed: 0,
  cancelled: 0,
  stopped_early: 0,
};

describe('rankByMetric', () => {
  const entries = [
    { id: 'a', value: 0.5 },
    { id: 'b', value: null },
    { id: 'c', value: 0.1 },
    { id: 'd', value: 0.9 },
  ];

  test('with mode min the smallest value comes first and runs without one last', () => {
    assert.deepEqual(rankByMetric(entries, 'min').map((entry) => entry.id), ['c', 'a', 'd', 'b']);
  });

  test('with mode max the largest value comes first', () => {
    assert.deepEqual(rankByMetric(entries, 'max').map((entry) => entry.id), ['d', 'a', 'c', 'b']);
  });
});

describe('readVariedParameters', () => {
  test('the varied values are read back from a run spec, seed included', () => {
    const sweep = SweepSpec.parse({
      base: {},
      parameters: { 'optimizer.learningRate': [0.1], 'model.activation': ['relu'] },
      seeds: [4],
    });
    const runSpec = {
      model: { family: 'shallow-ae', activation: 'sigmoid' },
      optimizer: { kind: 'adam', learningRate: 0.01 },
      seed: 4,
    };

    assert.deepEqual(readVariedParameters(sweep, runSpec), {
      'optimizer.learningRate': 0.01,
      'model.activation': 'sigmoid',
      seed: 4,
    });
  });
});

describe('describeSweepStatus', () => {
  test('a sweep is queued, then running, then finished when no run is left', () => {
    assert.equal(describeSweepStatus({ ...none, queued: 3 }, false), 'queued');
    assert.equal(describeSweepStatus({ ...none, queued: 2, succeeded: 1 }, false), 'running');
    const done = { ...none, succeeded: 2, stopped_early: 1 };
    assert.equal(describeSweepStatus(done, false), 'finished');
  });

  test('a cancelled sweep says so, even while its running runs stop', () => {
    assert.equal(describeSweepStatus({ ...none, running: 1, cancelled: 2 }, true), 'cancelled');
    assert.equal(describeSweepStatus({ ...none, cancelled: 3 }, true), 'cancelled');
  });
});
