import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createRedisConnection, QUEUES } from '@hourglass/queue';
import { QueueEvents } from 'bullmq';

import { isFinished, smallRun, startFleet, type Fleet } from './harness.ts';

const LOCK_DURATION_MS = 1_000;

describe('a run longer than the job lock', () => {
  let fleet: Fleet;
  let events: QueueEvents;
  const connection = createRedisConnection();
  const stalled: string[] = [];

  before(async () => {
    fleet = await startFleet({
      LOCK_DURATION_MS: String(LOCK_DURATION_MS),
      STALLED_INTERVAL_MS: '1000',
    });
    events = new QueueEvents(QUEUES.training, {
      connection,
      prefix: fleet.prefix,
    });
    events.on('stalled', ({ jobId }) => stalled.push(jobId));
    await events.waitUntilReady();
  });
  after(async () => {
    await events.close();
    connection.disconnect();
    await fleet.close();
  });

  test('keeps its lock while training and is never marked stalled', async () => {
    const startedAt = Date.now();
    const { id } = await fleet.submit(
      smallRun({
        // Batches this large take longer than the lock to train: a worker that
        // trained on its own event loop would miss its lock renewals.
        dataset: { kind: 'generated', seed: 3, trainSize: 8_192, testSize: 64 },
        batchSize: 4_096,
        schedule: { unit: 'steps', steps: 4 },
        checkpointEverySteps: 2,
        metricsEverySteps: 1,
      }),
    );
    const run = await fleet.waitForRun(id, isFinished, 120_000);
    const elapsedMs = Date.now() - startedAt;

    assert.equal(run.status, 'succeeded');
    assert.ok(
      elapsedMs > 3 * LOCK_DURATION_MS,
      `the run took ${elapsedMs} ms; it must outlast the lock to prove anything`,
    );
    assert.equal(run.attempts, 1);
    assert.deepEqual(stalled, []);
  });
});
