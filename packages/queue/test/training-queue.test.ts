import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, test } from 'node:test';

import { Worker, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';

import {
  QUEUES,
  TRAINING_JOBS,
  createRedisConnection,
  createTrainingQueue,
  enqueueTrainingRun,
  enqueueTrainingRuns,
  removeQueuedRun,
  type TrainRunPayload,
} from '../src/index.ts';

// A prefix of its own keeps this file's jobs apart from any other queue.
const prefix = `test-${randomUUID()}`;

let connection: Redis;
let queue: Queue<TrainRunPayload>;

before(() => {
  connection = createRedisConnection();
  queue = createTrainingQueue({ connection, prefix });
});

afterEach(async () => {
  await queue.obliterate({ force: true });
});

after(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
});

describe('createTrainingQueue', () => {
  test('the queue has the catalog\'s name and the given prefix', () => {
    assert.equal(queue.name, QUEUES.training);
    assert.equal(queue.opts.prefix, prefix);
  });
});

describe('enqueueTrainingRun', () => {
  test('a run is queued as one waiting job whose id is the run id', async () => {
    const runId = randomUUID();

    await enqueueTrainingRun(queue, runId);

    const job = await queue.getJob(runId);
    assert.ok(job, 'expected a job with the run id');
    assert.equal(job.id, runId);
    assert.equal(job.name, TRAINING_JOBS.trainRun);
    assert.deepEqual(job.data, { runId });
    assert.equal(await job.getState(), 'waiting');
  });

  test('queueing the same run twice leaves exactly one job', async () => {
    const runId = randomUUID();

    await enqueueTrainingRun(queue, runId);
    await enqueueTrainingRun(queue, runId);

    const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed', 'active']);
    assert.deepEqual(jobs.map((job) => job.id), [runId]);
    assert.equal(await queue.count(), 1);
  });

  test('a payload whose run id is not a uuid is rejected and nothing is queued', async () => {
    await assert.rejects(enqueueTrainingRun(queue, 'not-a-uuid'), /uuid/i);

    assert.equal(await queue.count(), 0);
    assert.equal(await queue.getJob('not-a-uuid'), undefined);
  });

  test('a run queued with a priority waits as a prioritized job', async () => {
    const runId = randomUUID();

    await enqueueTrainingRun(queue, runId, { priority: 5 });

    const job = await queue.getJob(runId);
    assert.equal(job?.opts.priority, 5);
    assert.equal(await job?.getState(), 'prioritized');
  });
});

describe('removeQueuedRun', () => {
  test('a waiting job is removed and the call says so', async () => {
    const runId = randomUUID();
    await enqueueTrainingRun(queue, runId);

    const removed = await removeQueuedRun(queue, runId);

    assert.equal(removed, true);
    assert.equal(await queue.getJob(runId), undefined);
    assert.equal(await queue.count(), 0);
  });

  test('a prioritized job is removed too', async () => {
    const runId = randomUUID();
    await enqueueTrainingRun(queue, runId, { priority: 2 });

    assert.equal(await removeQueuedRun(queue, runId), true);
    assert.equal(await queue.getJob(runId), undefined);
  });

  test('an unknown run id removes nothing and returns false', async () => {
    const other = randomUUID();
    await enqueueTrainingRun(queue, other);

    assert.equal(await removeQueuedRun(queue, randomUUID()), false);
    assert.ok(await queue.getJob(other), 'the other job is still queued');
  });

  test('a job a worker has taken is left alone and the call returns false', async () => {
    const runId = randomUUID();
    await enqueueTrainingRun(queue, runId);
    const worker = new Worker<TrainRunPayload>(QUEUES.training, null, {
      connection: createRedisConnection(),
      prefix,
      autorun: false,
    });
    try {
      const taken = await worker.getNextJob(randomUUID());
      assert.equal(taken?.id, runId);

      const removed = await removeQueuedRun(queue, runId);

      assert.equal(removed, false);
      assert.equal(await (await queue.getJob(runId))?.getState(), 'active');
    } finally {
      await worker.close(true);
      await worker.disconnect();
    }
  });
});

describe('enqueueTrainingRuns', () => {
  test('several runs are queued at one priority, each job named by its run id', async () => {
    const runIds = [randomUUID(), randomUUID()];

    await enqueueTrainingRuns(queue, runIds, { priority: 7 });

    for (const runId of runIds) {
      const job = await queue.getJob(runId);
      assert.ok(job, `expected a job for run ${runId}`);
      assert.equal(job.opts.priority, 7);
      assert.equal(await job.getState(), 'prioritized');
    }
  });

  test('a run that already has a job keeps it as it was', async () => {
    const runId = randomUUID();
    await enqueueTrainingRun(queue, runId);

    await enqueueTrainingRuns(queue, [runId], { priority: 3 });

    const job = await queue.getJob(runId);
    assert.equal(job?.opts.priority ?? 0, 0);
    assert.equal(await queue.count(), 1);
  });
});
