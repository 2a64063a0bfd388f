import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { Evaluation } from '../api/types.ts';
import { groupEvaluationCharts, latestScores } from './evaluation-charts.ts';

function row(fields: Partial<Evaluation>): Evaluation {
  return {
    id: Math.random().toString(36),
    runId: 'r',
    step: 0,
    kind: 'linear-probe',
    layer: '',
    area: '',
    method: '',
    status: 'succeeded',
    score: 0,
    details: null,
    error: null,
    ...fields,
  };
}

describe('groupEvaluationCharts', () => {
  test('makes one chart per kind, area and method with one line per layer', () => {
    const charts = groupEvaluationCharts([
      row({ kind: 'rsa', layer: 'conv1', area: 'V4', method: 'image', step: 100, score: 0.2 }),
      row({ kind: 'rsa', layer: 'conv1', area: 'V4', method: 'image', step: 0, score: 0.1 }),
      row({ kind: 'rsa', layer: 'conv2', area: 'V4', method: 'image', step: 0, score: 0.3 }),
      row({ kind: 'rsa', layer: 'conv1', area: 'IT', method: 'image', step: 0, score: 0.4 }),
      row({ kind: 'linear-probe', layer: 'conv1', step: 0, score: 0.5 }),
      row({ kind: 'linear-probe', layer: 'conv1', step: 100, status: 'pending', score: null }),
    ]);

    assert.deepEqual(
      charts.map((chart) => chart.key),
      ['linear-probe||', 'rsa|IT|image', 'rsa|V4|image'],
    );
    const v4 = charts[2]!;
    assert.equal(v4.title, 'RSA, Spearman r · area V4 · image');
    assert.deepEqual(v4.series, [
      { label: 'conv1', steps: [0, 100], values: [0.1, 0.2] },
      { label: 'conv2', steps: [0], values: [0.3] },
    ]);
    assert.deepEqual(charts[0]!.series[0]!.steps, [0], 'a pending row has no point');
  });

  test('puts a task\'s neural reference beside its layers, named by area', () => {
    const charts = groupEvaluationCharts([
      row({ kind: 'task-generalization', method: 'category', layer: 'conv1', score: 0.6 }),
      row({ kind: 'task-generalization', method: 'category', area: 'IT', score: 0.7 }),
    ]);

    assert.equal(charts.length, 1);
    assert.deepEqual(
      charts[0]!.series.map((line) => line.label),
      ['conv1', 'IT (neural)'],
    );
  });
});

describe('latestScores', () => {
  test('keeps the score of the latest step for each kind, layer, area and method', () => {
    const scores = latestScores([
      row({ kind: 'neural-fit', layer: 'conv1', area: 'IT', method: 'ridge', step: 0, score: 1 }),
      row({ kind: 'neural-fit', layer: 'conv1', area: 'IT', method: 'ridge', step: 9, score: 2 }),
    ]);

    assert.deepEqual([...scores], [['neural-fit · conv1 · IT · ridge', 2]]);
  });
});
