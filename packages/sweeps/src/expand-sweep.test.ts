import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { ValidationError } from '@hourglass/common';

import {
  countSweepRuns,
  expandSweep,
  listConfigurations,
  SweepTooLargeError,
  type SweepRun,
} from './expand-sweep.ts';
import { SweepSpec, type SweepSpecInput } from './sweep-spec.ts';

const base = {
  model: { family: 'shallow-ae', channels: 8, kernelSize: 3, stride: 4 },
  imageSize: 16,
  schedule: { unit: 'steps', steps: 20 },
};

/** A model field of an expanded run; the model spec is a union of families. */
function modelField(run: SweepRun | undefined, field: string): unknown {
  return (run!.spec.model as Record<string, unknown>)[field];
}

function sweep(overrides: Partial<SweepSpecInput> = {}): SweepSpec {
  return SweepSpec.parse({ name: 'test sweep', base, ...overrides });
}

/** The ValidationError an expansion throws. */
function expansionError(spec: SweepSpec, maxRuns = 500): ValidationError {
  try {
    expandSweep(spec, { maxRuns });
  } catch (error) {
    assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${error}`);
    return error;
  }
  assert.fail('expected the expansion to be rejected');
}

describe('expandSweep', () => {
  test('a grid makes every combination, the last parameter varying fastest', () => {
    const spec = sweep({
      parameters: {
        'model.activation': ['relu', 'sigmoid'],
        'optimizer.learningRate': { distribution: 'log-uniform', min: 1e-3, max: 1e-1, steps: 3 },
      },
    });

    const runs = expandSweep(spec, { maxRuns: 500 });

    assert.equal(runs.length, 6);
    assert.equal(countSweepRuns(spec), 6);
    assert.deepEqual(
      runs.map((run) => [modelField(run, 'activation'), run.spec.optimizer.learningRate]),
      [
        ['relu', 1e-3],
        ['relu', 1e-2],
        ['relu', 1e-1],
        ['sigmoid', 1e-3],
        ['sigmoid', 1e-2],
        ['sigmoid', 1e-1],
      ],
    );
    assert.deepEqual(runs.map((run) => run.index), [0, 1, 2, 3, 4, 5]);
  });

  test('each run spec is validated and filled in, with a numbered name', () => {
    const [first] = expandSweep(sweep({ parameters: { 'model.channels': [4] } }), {
      maxRuns: 500,
    });

    assert.equal(first!.spec.name, 'test sweep #1');
    assert.equal(modelField(first, 'channels'), 4);
    assert.equal(first!.spec.batchSize, 64);
    assert.deepEqual(first!.parameters, { 'model.channels': 4 });
  });

  test('a parameter inside a field the base leaves out starts from its default', () => {
    const [run] = expandSweep(sweep({ parameters: { 'optimizer.learningRate': [0.01] } }), {
      maxRuns: 500,
    });

    assert.deepEqual(run!.spec.optimizer, {
      kind: 'adam',
      learningRate: 0.01,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
    });
  });

  test('seeds multiply the configurations and set each run\'s seed, seeds fastest', () => {
    const spec = sweep({ parameters: { 'model.channels': [4, 8] }, seeds: [0, 1, 2] });

    const runs = expandSweep(spec, { maxRuns: 500 });

    assert.equal(runs.length, 6);
    assert.deepEqual(
      runs.map((run) => [modelField(run, 'channels'), run.spec.seed]),
      [
        [4, 0],
        [4, 1],
        [4, 2],
        [8, 0],
        [8, 1],
        [8, 2],
      ],
    );
    assert.deepEqual(runs[4]!.parameters, { 'model.channels': 8, seed: 1 });
  });

  test('random search draws the same configurations for the same randomSeed', () => {
    const spec = sweep({
      strategy: 'random',
      trials: 12,
      parameters: {
        'optimizer.learningRate': { distribution: 'log-uniform', min: 1e-4, max: 1e-1 },
        'model.channels': { distribution: 'integer', min: 4, max: 32 },
        'model.activation': ['relu', 'sigmoid'],
      },
    });

    const first = expandSweep(spec, { maxRuns: 500 });
    const second = expandSweep(spec, { maxRuns: 500 });
    const other = expandSweep({ ...spec, randomSeed: 1 }, { maxRuns: 500 });

    assert.equal(first.length, 12);
    assert.deepEqual(first.map((run) => run.spec), second.map((run) => run.spec));
    assert.notDeepEqual(first.map((run) => run.parameters), other.map((run) => run.parameters));
    for (const run of first) {
      assert.ok(run.spec.optimizer.learningRate >= 1e-4 && run.spec.optimizer.learningRate <= 0.1);
      const channels = modelField(run, 'channels') as number;
      assert.ok(Number.isInteger(channels) && channels >= 4 && channels <= 32);
    }
  });

  test('random search over lists without trials runs every combination once, shuffled', () => {
    const spec = sweep({
      strategy: 'random',
      randomSeed: 3,
      parameters: { 'model.channels': [4, 8, 16], 'model.activation': ['relu', 'sigmoid'] },
    });

    const configurations = listConfigurations(spec).map((values) => JSON.stringify(values));
    const grid = listConfigurations({ ...spec, strategy: 'grid' }).map((values) => {
      return JSON.stringify(values);
    });

    assert.equal(countSweepRuns(spec), 6);
    assert.deepEqual([...configurations].sort(), [...grid].sort());
    assert.notDeepEqual(configurations, grid);
  });

  test('a sweep over the cap is refused before expanding, saying how many runs', () => {
    const spec = sweep({
      parameters: {
        'model.channels': { distribution: 'integer', min: 1, max: 1_000_000 },
        'optimizer.learningRate': { distribution: 'uniform', min: 0.001, max: 0.01, steps: 1_000 },
      },
      seeds: [0, 1],
    });

    const error = expansionError(spec, 500);

    assert.ok(error instanceof SweepTooLargeError);
    assert.equal(error.runCount, 2_000_000_000);
    assert.match(error.message, /would make 2000000000 runs; at most 500 are allowed/);
  });

  test('a sweep exactly at the cap is expanded', () => {
    const spec = sweep({ parameters: { 'model.channels': [4, 8] }, seeds: [0, 1] });

    assert.equal(expandSweep(spec, { maxRuns: 4 }).length, 4);
    assert.ok(expansionError(spec, 3) instanceof SweepTooLargeError);
  });

  test('a value the run spec refuses is reported at its parameter with the field', () => {
    const spec = sweep({ parameters: { 'optimizer.learningRate': [0.01, 20] }, seeds: [0, 1] });

    const error = expansionError(spec);

    assert.equal(error.issues.length, 1, 'one issue, however many runs share the value');
    assert.equal(error.issues[0]!.path, 'parameters.optimizer.learningRate');
    assert.match(error.issues[0]!.message, /^20 makes optimizer.learningRate invalid: /);
  });

  test('an object value is blamed on its parameter for the field inside it', () => {
    const spec = sweep({ parameters: { optimizer: [{ kind: 'sgd', momentum: 2 }] } });

    const error = expansionError(spec);

    assert.equal(error.issues[0]!.path, 'parameters.optimizer');
    assert.match(error.issues[0]!.message, /makes optimizer.momentum invalid/);
  });

  test('a path the run spec drops is reported as having no effect', () => {
    const spec = sweep({ parameters: { 'optimizer.learningRat': [0.1, 0.2] } });

    const error = expansionError(spec);

    assert.deepEqual(error.issues, [
      {
        path: 'parameters.optimizer.learningRat',
        message: 'has no effect: the run spec has no such field here',
      },
    ]);
  });

  test('a path through a value that is not an object names the parameter', () => {
    const spec = sweep({ parameters: { 'imageSize.width': [32] } });

    const error = expansionError(spec);

    assert.equal(error.issues[0]!.path, 'parameters.imageSize.width');
    assert.match(error.issues[0]!.message, /imageSize is 16, not an object/);
  });

  test('a base spec that is invalid whatever the parameters is reported under base', () => {
    const spec = SweepSpec.parse({
      base: { ...base, batchSize: -1 },
      parameters: { 'model.channels': [4] },
    });

    const error = expansionError(spec);

    assert.equal(error.issues[0]!.path, 'base.batchSize');
  });
});
