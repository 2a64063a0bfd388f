import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { loadWorkerConfig } from './config.ts';

describe('loadWorkerConfig', () => {
  test('takes both queues by default, or the ones WORKER_QUEUES names', () => {
    assert.deepEqual(loadWorkerConfig({}).WORKER_QUEUES, ['training', 'evaluation']);
    assert.deepEqual(
      loadWorkerConfig({ WORKER_QUEUES: ' evaluation ' }).WORKER_QUEUES,
      ['evaluation'],
    );
  });

  test('an unknown queue is an error naming WORKER_QUEUES', () => {
    assert.throws(() => loadWorkerConfig({ WORKER_QUEUES: 'training,render' }), /WORKER_QUEUES/);
    assert.throws(() => loadWorkerConfig({ WORKER_QUEUES: ',' }), /WORKER_QUEUES/);
  });
});
