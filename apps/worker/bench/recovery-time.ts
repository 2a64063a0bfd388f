/**
 * How long a run is without a worker after its worker is killed: starts an
 * API, a worker and an idle standby worker (separate processes), submits a
 * run, SIGKILLs the worker mid-run, and times how long until the standby has
 * claimed the run and until it is training again (its step moves past the
 * checkpoint it resumed from). Prints one JSON line per repetition.
 *
 *   npm run bench:recovery -w @hourglass/worker -- [repetitions]
 *
 * Recovery is bounded by LOCK_DURATION_MS + STALLED_INTERVAL_MS (BullMQ
 * notices the lost lock) plus the trainer's start; the settings used here
 * are printed with the figures.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadApiConfig, startApiServer } from '@hourglass/api';
import { createSilentLogger } from '@hourglass/common';

import { startWorkerProcess } from '../test/worker-process.ts';

const repetitions = Number(process.argv[2] ?? 3);
const settings = { LOCK_DURATION_MS: '5000', STALLED_INTERVAL_MS: '2000' };
const prefix = `bench-${randomUUID()}`;
const artifactDir = await mkdtemp(join(tmpdir(), 'hourglass-recovery-'));
const api = await startApiServer(
  loadApiConfig({ ...process.env, PORT: '0', QUEUE_PREFIX: prefix }),
  createSilentLogger(),
);
const env = { QUEUE_PREFIX: prefix, ARTIFACT_DIR: artifactDir, ...settings };
const db = api.services.db;
const runIds: string[] = [];
const workerIds: string[] = [];

async function waitFor<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

try {
  for (let repetition = 1; repetition <= repetitions; repetition += 1) {
    const worker = await startWorkerProcess(db, `bench-${randomUUID()}`, env);
    const standby = await startWorkerProcess(db, `bench-${randomUUID()}`, env);
    workerIds.push(worker.id, standby.id);
    const response = await api.app.inject({
      method: 'POST',
      url: '/v1/runs',
      payload: {
        model: { family: 'shallow-ae' },
        dataset: { kind: 'generated', seed: 0, trainSize: 2_048, testSize: 64 },
        schedule: { unit: 'steps', steps: 100_000 },
        checkpointEverySteps: 100,
      },
    });
    const runId: string = response.json().id;
    runIds.push(runId);

    await waitFor(async () => {
      const run = await db.run.findUnique({ where: { id: runId } });
      return run && run.step > 150 && run.workerId === worker.id ? run : undefined;
    });
    const killedAt = Date.now();
    worker.child.kill('SIGKILL');

    await waitFor(async () => {
      const run = await db.run.findUnique({ where: { id: runId } });
      return run?.workerId === standby.id ? run : undefined;
    });
    const claimedMs = Date.now() - killedAt;
    const resumedFrom = await waitFor(async () => {
      const latest = await db.checkpoint.findFirst({
        where: { runId },
        orderBy: { step: 'desc' },
      });
      return latest?.step;
    });
    await waitFor(async () => {
      const newest = await db.metricPoint.findFirst({
        where: { runId, name: 'loss/total', step: { gt: resumedFrom } },
      });
      return newest ?? undefined;
    });
    const trainingMs = Date.now() - killedAt;

    console.log(
      JSON.stringify({ repetition, claimedMs, trainingAgainMs: trainingMs, ...settings }),
    );
    await api.app.inject({ method: 'POST', url: `/v1/runs/${runId}/cancel` });
    standby.child.kill('SIGTERM');
    await standby.exited;
    await worker.exited;
  }
} finally {
  await db.run.deleteMany({ where: { id: { in: runIds } } });
  await db.worker.deleteMany({ where: { id: { in: workerIds } } });
  await api.services.trainingQueue.obliterate({ force: true });
  await api.close();
  await rm(artifactDir, { recursive: true, force: true });
}
