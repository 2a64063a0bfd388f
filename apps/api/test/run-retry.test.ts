import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { cancelRun, completeRun, createRun, failRun, startRun } from '@hourglass/db';
import { createRedisConnection, enqueueTrainingRun, QUEUES } from '@hourglass/queue';
import { RunSpec } from '@hourglass/specs';
import { UnrecoverableError, Worker } from 'bullmq';

import { openTestApi, within, type TestApi } from './support.ts';

let api: TestApi;

before(async () => {
  api = await openTestApi();
});

after(async () => {
  await api.close();
});

async function newRun() {
  const run = await createRun(api.db, { spec: RunSpec.parse({ model: { family: 'shallow-ae' } }) });
  api.track(run.id);
  return run;
}

/** Plays a worker that fails the run's job for good, as a crashed trainer would. */
async function failJobInQueue(runId: string): Promise<void> {
  const connection = createRedisConnection(undefined, { maxRetriesPerRequest: null });
  const worker = new Worker(
    QUEUES.training,
    async () => {
      throw new UnrecoverableError('trainer crashed');
    },
    { connection, prefix: api.services.queuePrefix },
  );
  const failed = new Promise<void>((resolve) => {
    worker.on('failed', (job) => {
      if (job?.id === runId) resolve();
    });
  });
  try {
    await enqueueTrainingRun(api.services.trainingQueue, runId);
    await within(failed, 10_000, 'the job failing');
  } finally {
    await worker.close();
    connection.disconnect();
  }
}

function retry(runId: string) {
  return api.app.inject({ method: 'POST', url: `/v1/runs/${runId}/retry` });
}

describe('POST /v1/runs/:id/retry', () => {
  test('queues a failed run again, replacing its failed job in the queue', async () => {
    const run = await newRun();
    await failJobInQueue(run.id);
    await startRun(api.db, run.id, {
      workerId: 'w1',
      backend: 'wasm',
      device: 'cpu',
      totalSteps: 100,
    });
    await failRun(api.db, run.id, { message: 'trainer crashed', code: 'HG_TRAINING' });

    const response = await retry(run.id);

    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.status, 'queued');
    assert.equal(body.error, null);
    assert.equal(body.finishedAt, null);
    assert.equal(body.attempts, 1, 'earlier attempts are kept');
    const job = await api.services.trainingQueue.getJob(run.id);
    assert.ok(job, 'a job exists for the run');
    assert.ok(['waiting', 'prioritized'].includes(await job.getState()));
    assert.equal(job.attemptsMade, 0, 'the job is a new one');
  });

  test('queues a cancelled run again', async () => {
    const run = await newRun();
    await cancelRun(api.db, run.id);

    const response = await retry(run.id);

    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().status, 'queued');
    const job = await api.services.trainingQueue.getJob(run.id);
    assert.ok(job);
  });

  test('refuses a queued, running or succeeded run with 409 and leaves it as it was', async () => {
    const queued = await newRun();
    const running = await newRun();
    const start = { workerId: 'w1', backend: 'wasm', device: 'cpu', totalSteps: 10 };
    await startRun(api.db, running.id, start);
    const succeeded = await newRun();
    await startRun(api.db, succeeded.id, start);
    await completeRun(api.db, succeeded.id, 10);

    for (const [run, status] of [
      [queued, 'queued'],
      [running, 'running'],
      [succeeded, 'succeeded'],
    ] as const) {
      const response = await retry(run.id);
      assert.equal(response.statusCode, 409, response.body);
      assert.equal(response.json().error.code, 'HG_CONFLICT');
      assert.match(response.json().error.message, new RegExp(status));
      const after = await api.app.inject({ url: `/v1/runs/${run.id}` });
      assert.equal(after.json().status, status);
    }
  });

  test('answers 404 for an unknown run', async () => {
    const response = await retry('00000000-0000-4000-8000-000000000000');

    assert.equal(response.statusCode, 404);
  });
});
