import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { toFieldIssues } from '@hourglass/common';

import { SweepSpec, type SweepSpecInput } from './sweep-spec.ts';

const base = { model: { family: 'shallow-ae' } };

/** The `path: message` of every issue a bad sweep spec raises. */
function issues(input: SweepSpecInput | Record<string, unknown>): string[] {
  const result = SweepSpec.safeParse(input);
  assert.equal(result.success, false, 'expected the sweep spec to be rejected');
  return toFieldIssues(result.error!).map((issue) => `${issue.path}: ${issue.message}`);
}

describe('SweepSpec', () => {
  test('a minimal sweep is filled in with grid search, priority 50 and no limit', () => {
    const spec = SweepSpec.parse({ base, parameters: { 'model.channels': [8, 16] } });

    assert.equal(spec.strategy, 'grid');
    assert.equal(spec.priority, 50);
    assert.equal(spec.randomSeed, 0);
    assert.equal(spec.maxConcurrent, undefined);
    assert.deepEqual(spec.parameters, { 'model.channels': [8, 16] });
  });

  test('early stopping defaults to ASHA on loss/total, minimised, eta 3, window 5', () => {
    const spec = SweepSpec.parse({ base, earlyStopping: { minSteps: 10 } });

    assert.deepEqual(spec.earlyStopping, {
      kind: 'asha',
      metric: 'loss/total',
      mode: 'min',
      minSteps: 10,
      reductionFactor: 3,
      window: 5,
    });
  });

  test('a grid over a float range without steps is rejected at the range', () => {
    const found = issues({
      base,
      parameters: { 'optimizer.learningRate': { distribution: 'uniform', min: 0.1, max: 1 } },
    });

    assert.deepEqual(found, [
      'parameters.optimizer.learningRate.steps: a grid over a range needs steps',
    ]);
  });

  test('random search over a range without trials is rejected at trials', () => {
    const found = issues({
      base,
      strategy: 'random',
      parameters: { 'model.channels': { distribution: 'integer', min: 4, max: 64 } },
    });

    assert.deepEqual(found, ['trials: random search over a range needs trials']);
  });

  test('a log-uniform range must start above zero and end above its start', () => {
    const found = issues({
      base,
      parameters: { lr: { distribution: 'log-uniform', min: 0, max: -1, steps: 2 } },
    });

    assert.ok(found.includes('parameters.lr.max: must be at least min'), found.join('\n'));
    assert.ok(found.includes('parameters.lr.min: a log-uniform range needs min > 0'));
  });

  test('a malformed range names its wrong fields, not just "invalid input"', () => {
    const found = issues({ base, parameters: { lr: { distribution: 'normal', min: 0 } } });

    assert.ok(found.some((issue) => issue.startsWith('parameters.lr.distribution: ')), found[0]);
    assert.ok(found.some((issue) => issue.startsWith('parameters.lr.max: ')));
  });

  test('a path that is not dotted identifiers, or reaches a prototype, is rejected', () => {
    assert.equal(issues({ base, parameters: { 'model..channels': [1] } }).length, 1);
    assert.equal(issues({ base, parameters: { '__proto__.x': [1] } }).length, 1);
  });

  test('a parameter inside another parameter is rejected', () => {
    const found = issues({
      base,
      parameters: { optimizer: [{ kind: 'sgd' }], 'optimizer.learningRate': [0.1] },
    });

    assert.deepEqual(found, [
      'parameters.optimizer.learningRate: lies inside parameter optimizer; vary one or the other',
    ]);
  });

  test('seeds together with a seed parameter are rejected, as are repeated seeds', () => {
    assert.equal(issues({ base, parameters: { seed: [1, 2] }, seeds: [0] }).length, 1);
    assert.deepEqual(issues({ base, seeds: [0, 1, 0] }), ['seeds: seeds repeat']);
  });
});
