import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { computeLearningRate, computeTotalSteps } from './schedule.ts';
import { createTinySpec } from './test-support.ts';

const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} is not ${expected}`);

describe('computeTotalSteps', () => {
  it('takes schedule.steps as given', () => {
    const spec = createTinySpec({ schedule: { unit: 'steps', steps: 7 } });
    assert.equal(computeTotalSteps(spec, 64), 7);
  });

  it('counts whole batches per epoch: 3 epochs of floor(70 / 8) = 24', () => {
    const spec = createTinySpec({ schedule: { unit: 'epochs', epochs: 3 } });
    assert.equal(computeTotalSteps(spec, 70), 24);
  });

  it('refuses epochs when the batch is larger than the training set', () => {
    const spec = createTinySpec({ schedule: { unit: 'epochs', epochs: 1 }, batchSize: 100 });
    assert.throws(() => computeTotalSteps(spec, 64), { name: 'TrainingError' });
  });
});

describe('computeLearningRate', () => {
  it('keeps a constant rate', () => {
    const spec = createTinySpec({ optimizer: { kind: 'adam', learningRate: 0.002 } });
    assert.equal(computeLearningRate(spec, 0, 100), 0.002);
    assert.equal(computeLearningRate(spec, 99, 100), 0.002);
  });

  it('multiplies by factor every everySteps steps', () => {
    const spec = createTinySpec({
      optimizer: { kind: 'sgd', learningRate: 1 },
      learningRateSchedule: { kind: 'step', everySteps: 10, factor: 0.5 },
    });
    assert.deepEqual(
      [0, 9, 10, 19, 20, 35].map((step) => computeLearningRate(spec, step, 100)),
      [1, 1, 0.5, 0.5, 0.25, 0.125],
    );
  });

  it('warms up linearly, then follows half a cosine down to minFactor', () => {
    const spec = createTinySpec({
      optimizer: { kind: 'sgd', learningRate: 1 },
      learningRateSchedule: { kind: 'cosine', warmupSteps: 4, minFactor: 0.1 },
    });
    const rate = (step: number) => computeLearningRate(spec, step, 25);

    close(rate(0), 0.25);
    close(rate(3), 1);
    close(rate(4), 1);
    close(rate(14), 0.1 + 0.9 * 0.5);
    close(rate(24), 0.1);
  });
});
