import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadApiConfig, startApiServer, type ApiServer } from '@hourglass/api';
import { createSilentLogger } from '@hourglass/common';
import type { RunSpecInput } from '@hourglass/specs';

import { loadWorkerConfig } from '../src/config.ts';
import { startTrainingWorker, type TrainingWorker } from '../src/training-worker.ts';

/** An API and a worker on their own queue prefix and artifact folder. */
export interface Fleet {
  api: ApiServer;
  worker: TrainingWorker;
  artifactDir: string;
  prefix: string;
  runIds: string[];
  submit(spec: RunSpecInput): Promise<{ id: string }>;
  getRun(id: string): Promise<Record<string, unknown> & { status: string; step: number }>;
  waitForRun(id: string, isDone: (run: { status: string; step: number }) => boolean,
    timeoutMs?: number): Promise<Record<string, unknown> & { status: string; step: number }>;
  close(): Promise<void>;
}

/** A small, quick run on generated data. */
export function smallRun(overrides: Partial<RunSpecInput> = {}): RunSpecInput {
  return {
    model: { family: 'shallow-ae', channels: 16, kernelSize: 7, stride: 16 },
    dataset: { kind: 'generated', seed: 3, trainSize: 512, testSize: 64 },
    batchSize: 32,
    schedule: { unit: 'steps', steps: 40 },
    checkpointEverySteps: 20,
    metricsEverySteps: 5,
    seed: 7,
    ...overrides,
  };
}

/** Starts an API and a worker; worker settings may be overridden. */
export async function startFleet(
  workerEnv: Record<string, string> = {},
  apiEnv: Record<string, string> = {},
): Promise<Fleet> {
  const prefix = `test-${randomUUID()}`;
  const artifactDir = await mkdtemp(join(tmpdir(), 'hourglass-worker-test-'));
  const logger = createSilentLogger();
  const api = await startApiServer(
    loadApiConfig({
      ...process.env,
      PORT: '0',
      QUEUE_PREFIX: prefix,
      ARTIFACT_DIR: artifactDir,
      ...apiEnv,
    }),
    logger,
  );
  const worker = await startTrainingWorker(
    loadWorkerConfig({
      ...process.env,
      QUEUE_PREFIX: prefix,
      ARTIFACT_DIR: artifactDir,
      HOURGLASS_BACKEND: 'wasm',
      ...apiEnv,
      ...workerEnv,
    }),
    logger,
  );
  const runIds: string[] = [];

  const getRun: Fleet['getRun'] = async (id) => {
    const response = await api.app.inject({ url: `/v1/runs/${id}` });
    return response.json();
  };

  return {
    api,
    worker,
    artifactDir,
    prefix,
    runIds,
    submit: async (spec) => {
      const response = await api.app.inject({ method: 'POST', url: '/v1/runs', payload: spec });
      if (response.statusCode !== 201) throw new Error(`submit failed: ${response.body}`);
      const run = response.json();
      runIds.push(run.id);
      return run;
    },
    getRun,
    waitForRun: async (id, isDone, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const run = await getRun(id);
        if (isDone(run)) return run;
        if (Date.now() > deadline) {
          throw new Error(`run ${id} still ${run.status} at step ${run.step}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: async () => {
      await worker.close();
      await api.services.db.run.deleteMany({ where: { id: { in: runIds } } });
      await api.services.trainingQueue.obliterate({ force: true });
      await api.services.evaluationQueue.obliterate({ force: true });
      await api.close();
      await rm(artifactDir, { recursive: true, force: true });
    },
  };
}

/** Whether a run has reached a final status. */
export function isFinished(run: { status: string }): boolean {
  return ['succeeded', 'failed', 'cancelled', 'stopped_early'].includes(run.status);
}
