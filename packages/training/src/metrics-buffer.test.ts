import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MetricsBuffer, type StepRecord } from './metrics-buffer.ts';

const record = (step: number, seconds = 0.5): StepRecord => ({
  step,
  lossTotal: 1 / step,
  lossTerms: { reconstruction: 1 / step },
  learningRate: 0.01,
  imageCount: 8,
  seconds,
});

describe('MetricsBuffer', () => {
  it('drains every recorded step and the interval throughput at its last step', () => {
    const buffer = new MetricsBuffer();
    buffer.record(record(1));
    buffer.record(record(2));

    const points = buffer.drain();

    assert.deepEqual(points, [
      { name: 'loss/total', step: 1, value: 1 },
      { name: 'loss/reconstruction', step: 1, value: 1 },
      { name: 'learning_rate', step: 1, value: 0.01 },
      { name: 'loss/total', step: 2, value: 0.5 },
      { name: 'loss/reconstruction', step: 2, value: 0.5 },
      { name: 'learning_rate', step: 2, value: 0.01 },
      { name: 'images_per_second', step: 2, value: 16 },
    ]);
    assert.equal(buffer.isEmpty, true);
    assert.deepEqual(buffer.drain(), []);
  });

  it('measures throughput per interval, not since the start', () => {
    const buffer = new MetricsBuffer();
    buffer.record(record(1, 1));
    buffer.drain();
    buffer.record(record(2, 0.25));

    const throughput = buffer.drain().find((point) => point.name === 'images_per_second');

    assert.deepEqual(throughput, { name: 'images_per_second', step: 2, value: 32 });
  });

  it('refuses a step that does not come after the last one', () => {
    const buffer = new MetricsBuffer();
    buffer.record(record(3));
    buffer.drain();

    assert.throws(() => buffer.record(record(3)), RangeError);
  });

  it("reports a model's own metrics under their names, after the loss terms", () => {
    const buffer = new MetricsBuffer();
    buffer.record({ ...record(1), metrics: { elbo: -3 } });

    const names = buffer.drain().map((point) => point.name);

    assert.deepEqual(names.slice(0, 3), ['loss/total', 'loss/reconstruction', 'elbo']);
  });

  it('takes values measured after a step at that step, never before it', () => {
    const buffer = new MetricsBuffer();
    buffer.record(record(4));
    buffer.recordValues(4, { 'validation/top1': 0.5 });

    const points = buffer.drain();

    assert.deepEqual(points.at(-2), { name: 'validation/top1', step: 4, value: 0.5 });
    assert.throws(() => buffer.recordValues(3, { 'validation/top1': 0.5 }), RangeError);
    assert.throws(() => buffer.record(record(4)), RangeError);
  });
});
