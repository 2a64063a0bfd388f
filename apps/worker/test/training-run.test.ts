import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { enqueueTrainingRun } from '@hourglass/queue';

import { isFinished, smallRun, startFleet, type Fleet } from './harness.ts';

interface Point {
  name: string;
  step: number;
  value: number;
}

describe('a run submitted to the API', () => {
  let fleet: Fleet;
  before(async () => {
    fleet = await startFleet();
  });
  after(async () => {
    await fleet.close();
  });

  test('trains to success on wasm with falling loss and intact checkpoints', async () => {
    const { id } = await fleet.submit(smallRun());
    const run = await fleet.waitForRun(id, isFinished);
    assert.equal(run.status, 'succeeded', `run error: ${String(run.error)}`);
    assert.equal(run.step, 40);
    assert.equal(run.totalSteps, 40);
    assert.equal(run.attempts, 1);
    assert.equal(run.backend, 'wasm');

    const metrics = await fleet.api.app.inject({ url: `/v1/runs/${id}/metrics?name=loss/total` });
    const points: Point[] = metrics.json().points;
    assert.deepEqual(
      points.map((point) => point.step),
      Array.from({ length: 40 }, (_, index) => index + 1),
    );
    const mean = (values: Point[]) =>
      values.reduce((sum, point) => sum + point.value, 0) / values.length;
    assert.ok(
      mean(points.slice(-5)) < 0.7 * mean(points.slice(0, 5)),
      `loss did not fall: ${mean(points.slice(0, 5))} -> ${mean(points.slice(-5))}`,
    );

    const listed = await fleet.api.app.inject({ url: `/v1/runs/${id}/checkpoints` });
    const checkpoints = listed.json().checkpoints;
    assert.deepEqual(
      checkpoints.map((checkpoint: { step: number }) => checkpoint.step),
      [20, 40],
    );
    for (const checkpoint of checkpoints) {
      const bytes = await readFile(join(fleet.artifactDir, checkpoint.location));
      assert.equal(bytes.length, checkpoint.sizeBytes);
      assert.equal(createHash('sha256').update(bytes).digest('hex'), checkpoint.sha256);
    }
  });

  test('a second submit of a finished run id does not train it again', async () => {
    const { id } = await fleet.submit(smallRun({ schedule: { unit: 'steps', steps: 10 } }));
    await fleet.waitForRun(id, isFinished);
    await enqueueTrainingRun(fleet.api.services.trainingQueue, id);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const run = await fleet.getRun(id);
    assert.equal(run.status, 'succeeded');
    assert.equal(run.attempts, 1);
  });

  test('a run whose dataset folder is missing fails once with the error recorded', async () => {
    const { id } = await fleet.submit(
      smallRun({ dataset: { kind: 'cifar10', path: '/nonexistent/cifar10' } }),
    );
    const run = await fleet.waitForRun(id, isFinished);
    assert.equal(run.status, 'failed');
    assert.match(String(run.error), /\/nonexistent\/cifar10/);
    assert.equal(run.errorCode, 'HG_DATA_FORMAT');
    const job = await fleet.api.services.trainingQueue.getJob(id);
    assert.equal(job?.attemptsMade, 1, 'an input error must not be retried');
  });

  test('a run whose loss diverges fails with the step recorded and is not retried', async () => {
    const { id } = await fleet.submit(
      smallRun({
        optimizer: { kind: 'sgd', learningRate: 10, momentum: 0.99 },
        schedule: { unit: 'steps', steps: 200 },
      }),
    );
    const run = await fleet.waitForRun(id, isFinished);
    assert.equal(run.status, 'failed');
    assert.equal(run.errorCode, 'HG_TRAINING');
    assert.match(String(run.error), /loss is (NaN|-?Infinity) at step \d+/);
    const job = await fleet.api.services.trainingQueue.getJob(id);
    assert.equal(job?.attemptsMade, 1, 'a diverged run must not be retried');
  });

  test('a trainer that crashes is retried after a backoff and resumes', async () => {
    const { id } = await fleet.submit(
      smallRun({ schedule: { unit: 'steps', steps: 300 }, checkpointEverySteps: 50 }),
    );
    await fleet.waitForRun(id, (run) => run.status === 'running' && run.step >= 60);
    const pid = fleet.worker.services.activeRuns.get(id)?.pid;
    assert.ok(pid, 'no training process for the run');
    process.kill(pid, 'SIGKILL');

    const run = await fleet.waitForRun(id, isFinished, 90_000);
    assert.equal(run.status, 'succeeded', String(run.error));
    assert.equal(run.step, 300);
    assert.equal(run.attempts, 2);
    const job = await fleet.api.services.trainingQueue.getJob(id);
    // BullMQ counts both: the attempt the crash failed and the one that succeeded.
    assert.equal(job?.attemptsMade, 2);
  });
});
