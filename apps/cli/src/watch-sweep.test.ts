import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { SweepDetailRecord } from './api-client.ts';
import { describeSweepProgress } from './watch-sweep.ts';

function sweepWith(overrides: Partial<SweepDetailRecord> = {}): SweepDetailRecord {
  return {
    id: 'c0ffee00-0000-4000-8000-000000000000',
    name: 'test',
    status: 'running',
    runCount: 6,
    counts: {
      queued: 2,
      running: 1,
      succeeded: 2,
      failed: 0,
      cancelled: 0,
      stopped_early: 1,
      held: 1,
    },
    leaderboard: {
      metric: 'loss/total',
      mode: 'min',
      entries: [
        {
          rank: 1,
          runId: 'abcdef12-0000-4000-8000-000000000000',
          status: 'succeeded',
          step: 100,
          parameters: { 'optimizer.learningRate': 0.0031622776, seed: 1 },
          value: 0.012345678,
        },
      ],
    },
    ...overrides,
  };
}

describe('describeSweepProgress', () => {
  test('the line counts runs per status and names the best run with its parameters', () => {
    assert.equal(
      describeSweepProgress(sweepWith()),
      'running   3/6 finished, queued 2 (held 1), running 1, succeeded 2, stopped early 1, ' +
        'failed 0, cancelled 0; best loss/total 0.01235 ' +
        '(run abcdef12 optimizer.learningRate=0.003162 seed=1)',
    );
  });

  test('before any run has logged the metric the line says so', () => {
    const sweep = sweepWith({ leaderboard: { metric: 'loss/total', mode: 'min', entries: [] } });

    assert.match(describeSweepProgress(sweep), /best loss\/total: none yet$/);
  });
});
