import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { alignSeries, appendPoints, sortMetricNames } from './series.ts';

describe('appendPoints', () => {
  test('appends new points per name and drops those at or before the last step', () => {
    const store = { loss: { steps: [0, 10], values: [1, 0.9] } };

    const next = appendPoints(store, [
      { name: 'loss', step: 10, value: 5 },
      { name: 'loss', step: 20, value: 0.8 },
      { name: 'lr', step: 20, value: 0.001 },
    ]);

    assert.deepEqual(next.loss, { steps: [0, 10, 20], values: [1, 0.9, 0.8] });
    assert.deepEqual(next.lr, { steps: [20], values: [0.001] });
    assert.deepEqual(store.loss.steps, [0, 10], 'the old store is not changed');
  });

  test('keeps the same series object when nothing new came for it', () => {
    const store = { loss: { steps: [0], values: [1] }, lr: { steps: [0], values: [1] } };

    const next = appendPoints(store, [{ name: 'loss', step: 5, value: 0.5 }]);

    assert.equal(next.lr, store.lr);
    assert.notEqual(next.loss, store.loss);
  });
});

describe('alignSeries', () => {
  test('puts series with different steps on their union, null where missing', () => {
    const data = alignSeries([
      { label: 'a', steps: [0, 10, 20], values: [1, 2, 3] },
      { label: 'b', steps: [5, 10], values: [7, 8] },
    ]);

    assert.deepEqual(data, [
      [0, 5, 10, 20],
      [1, null, 2, 3],
      [null, 7, 8, null],
    ]);
  });
});

describe('sortMetricNames', () => {
  test('puts the total loss first and loss terms before other metrics', () => {
    const names = sortMetricNames(['learning_rate', 'loss/kl', 'loss/total', 'elbo']);

    assert.deepEqual(names, ['loss/total', 'loss/kl', 'elbo', 'learning_rate']);
  });
});
