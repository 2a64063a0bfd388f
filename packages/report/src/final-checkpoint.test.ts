import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { findFinalStep, selectFinalResults } from './final-checkpoint.ts';
import type { EvaluationRow } from './types.ts';

function row(step: number, status: EvaluationRow['status']): EvaluationRow {
  return {
    step,
    kind: 'linear-probe',
    layer: 'conv1',
    area: '',
    method: '',
    status,
    score: status === 'succeeded' ? step / 1000 : null,
    details: null,
    error: null,
  };
}

describe('findFinalStep', () => {
  test('is the largest step with succeeded rows, past pending and failed later ones', () => {
    const rows = [row(0, 'succeeded'), row(200, 'succeeded'), row(300, 'failed'),
      row(400, 'pending')];

    assert.equal(findFinalStep(rows), 200);
    assert.deepEqual(selectFinalResults(rows).map((result) => result.step), [200]);
  });

  test('a run without results has no final step and no final results', () => {
    assert.equal(findFinalStep([row(100, 'running')]), undefined);
    assert.deepEqual(selectFinalResults([row(100, 'failed')]), []);
  });
});
