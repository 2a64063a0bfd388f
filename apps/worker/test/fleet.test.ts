import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { loadApiConfig, startApiServer, type ApiServer } from '@hourglass/api';
import { createSilentLogger } from '@hourglass/common';

import { isFinished, smallRun } from './harness.ts';
import { startWorkerProcess, type WorkerProcess } from './worker-process.ts';

type RunView = { status: string; step: number; attempts: number; workerId: string | null };

const STEPS = 300;

describe('a fleet of worker processes', () => {
  let api: ApiServer;
  let artifactDir: string;
  let workerEnv: Record<string, string>;
  const runIds: string[] = [];
  const workers: WorkerProcess[] = [];

  before(async () => {
    const prefix = `test-${randomUUID()}`;
    artifactDir = await mkdtemp(join(tmpdir(), 'hourglass-fleet-test-'));
    api = await startApiServer(
      loadApiConfig({
        ...process.env,
        PORT: '0',
        QUEUE_PREFIX: prefix,
        WORKER_LOST_AFTER_MS: '2000',
      }),
      createSilentLogger(),
    );
    workerEnv = {
      QUEUE_PREFIX: prefix,
      ARTIFACT_DIR: artifactDir,
      HOURGLASS_BACKEND: 'wasm',
      LOCK_DURATION_MS: '2000',
      STALLED_INTERVAL_MS: '1000',
      HEARTBEAT_INTERVAL_MS: '300',
      SHUTDOWN_TIMEOUT_MS: '20000',
    };
  });

  after(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    await api.services.db.run.deleteMany({ where: { id: { in: runIds } } });
    await api.services.db.worker.deleteMany({
      where: { id: { in: workers.map((worker) => worker.id) } },
    });
    await api.services.trainingQueue.obliterate({ force: true });
    await api.close();
    await rm(artifactDir, { recursive: true, force: true });
  });

  async function startWorker(): Promise<WorkerProcess> {
    const worker = await startWorkerProcess(api.services.db, `test-${randomUUID()}`, workerEnv);
    workers.push(worker);
    return worker;
  }

  async function submit(): Promise<string> {
    const response = await api.app.inject({
      method: 'POST',
      url: '/v1/runs',
      payload: smallRun({
        schedule: { unit: 'steps', steps: STEPS },
        checkpointEverySteps: 50,
        metricsEverySteps: 10,
      }),
    });
    const { id } = response.json();
    runIds.push(id);
    return id;
  }

  async function waitForRun(id: string, isDone: (run: RunView) => boolean, timeoutMs = 90_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run: RunView = (await api.app.inject({ url: `/v1/runs/${id}` })).json();
      if (isDone(run)) return run;
      if (Date.now() > deadline) throw new Error(`run ${id}: ${JSON.stringify(run)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function assertCompleteMetricSeries(id: string): Promise<void> {
    const response = await api.app.inject({ url: `/v1/runs/${id}/metrics?name=loss/total` });
    const steps = response.json().points.map((point: { step: number }) => point.step);
    assert.deepEqual(steps, Array.from({ length: STEPS }, (_, index) => index + 1));
  }

  test('SIGTERM checkpoints the run and hands it to another worker', async () => {
    const first = await startWorker();
    const id = await submit();
    await waitForRun(id, (run) => run.status === 'running' && run.step >= 20);

    const stoppingAt = Date.now();
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);
    const shutdownMs = Date.now() - stoppingAt;
    assert.ok(shutdownMs < 20_000, `shutdown took ${shutdownMs} ms`);

    const handedBack = await waitForRun(id, () => true);
    assert.equal(handedBack.status, 'queued');
    const checkpoints = (await api.app.inject({ url: `/v1/runs/${id}/checkpoints` })).json();
    assert.equal(checkpoints.checkpoints.at(-1).step, handedBack.step);

    const second = await startWorker();
    const run = await waitForRun(id, isFinished);
    assert.equal(run.status, 'succeeded');
    assert.equal(run.step, STEPS);
    assert.equal(run.attempts, 2);
    assert.equal(run.workerId, second.id);
    await assertCompleteMetricSeries(id);

    // An idle worker left running would take the next test's run.
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0);
  });

  test('a worker killed mid-run is seen as lost and another resumes its run', async () => {
    const doomed = await startWorker();
    const id = await submit();
    await waitForRun(id, (run) => run.workerId === doomed.id && run.step >= 70);

    doomed.child.kill('SIGKILL');
    await doomed.exited;
    const standby = await startWorker();

    const resumed = await waitForRun(id, (run) => run.workerId === standby.id);
    assert.equal(resumed.attempts, 2);
    const run = await waitForRun(id, isFinished);
    assert.equal(run.status, 'succeeded');
    assert.equal(run.step, STEPS);
    await assertCompleteMetricSeries(id);

    const listed = (await api.app.inject({ url: '/v1/workers' })).json();
    const seen = new Map(
      listed.workers.map((worker: { id: string; status: string }) => [worker.id, worker.status]),
    );
    assert.equal(seen.get(doomed.id), 'lost');
    assert.equal(seen.get(standby.id), 'online');
  });
});
