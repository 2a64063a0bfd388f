import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { createLogger } from '@hourglass/common';
import { loadApiConfig, startApiServer } from '@hourglass/api';
import type { RunSpecInput } from '@hourglass/specs';
import { loadWorkerConfig, startTrainingWorker } from '@hourglass/worker';

import { ApiClient } from './api-client.ts';
import { makeReport } from './report-command.ts';
import { waitForEvaluations } from './watch-evaluations.ts';
import { watchRun } from './watch-run.ts';

/**
 * The demo's run: the shallow autoencoder on generated images, a minute
 * or two, each checkpoint evaluated (probe, RSA, filters, reconstructions).
 */
export const DEMO_RUN: RunSpecInput = {
  name: 'demo: shallow autoencoder on generated images',
  model: { family: 'shallow-ae', channels: 64, kernelSize: 7, stride: 16, activation: 'relu' },
  dataset: { kind: 'generated', seed: 1, trainSize: 4_000, testSize: 500 },
  batchSize: 64,
  schedule: { unit: 'steps', steps: 300 },
  checkpointEverySteps: 100,
  evaluations: ['linear-probe', 'rsa', 'filters', 'reconstructions'],
  evaluation: { probe: { trainImages: 2_000, testImages: 500 } },
  seed: 1,
};

async function sha256Of(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

/**
 * Runs one training run end to end on this machine: starts the API and a
 * worker against the configured Postgres and Redis, submits the demo run
 * over REST, follows it, and checks what it stored. Returns an exit code.
 */
export async function runDemo(): Promise<number> {
  const startedAt = Date.now();
  // The progress bar is the demo's output; the services' logs (and the
  // trainer's, which inherits the environment) only speak up for problems.
  process.env.LOG_LEVEL ??= 'warn';
  const logger = createLogger('hourglass-demo');
  const apiConfig = loadApiConfig({ ...process.env, PORT: process.env.PORT ?? '0' });
  const workerConfig = loadWorkerConfig();

  const api = await startApiServer(apiConfig, logger);
  const worker = await startTrainingWorker(workerConfig, logger);
  const client = new ApiClient(api.url);
  console.log(`API on ${api.url}; worker ${workerConfig.WORKER_ID}`);

  try {
    const submitted = await client.submitRun(DEMO_RUN);
    console.log(`submitted run ${submitted.id}`);
    const run = await watchRun(client, submitted.id);

    const losses = await client.listMetrics(run.id, 'loss/total');
    const speeds = await client.listMetrics(run.id, 'images_per_second');
    const checkpoints = await client.listCheckpoints(run.id);
    const seconds = (Date.now() - startedAt) / 1000;
    console.log(`run ${run.status} on ${run.backend ?? '?'} after ${seconds.toFixed(1)} s`);
    if (run.status !== 'succeeded') {
      console.log(`error: ${run.error ?? 'none recorded'}`);
      return 1;
    }

    const first = losses[0];
    const last = losses.at(-1);
    if (first && last) {
      console.log(
        `training loss ${first.value.toFixed(4)} at step ${first.step} -> ` +
          `${last.value.toFixed(4)} at step ${last.step}`,
      );
    }
    const meanSpeed = speeds.reduce((sum, point) => sum + point.value, 0) / (speeds.length || 1);
    console.log(`throughput ${meanSpeed.toFixed(0)} images/s`);
    for (const checkpoint of checkpoints) {
      const path = join(workerConfig.ARTIFACT_DIR, checkpoint.location);
      const isIntact = (await sha256Of(path)) === checkpoint.sha256;
      console.log(
        `checkpoint step ${checkpoint.step}: ${path} ` +
          `(${checkpoint.sizeBytes} bytes, sha256 ${isIntact ? 'matches' : 'DOES NOT MATCH'})`,
      );
      if (!isIntact) return 1;
    }

    const evaluations = await waitForEvaluations(client, run.id);
    for (const row of evaluations.filter((row) => row.kind === 'linear-probe')) {
      console.log(`linear probe at step ${row.step}, ${row.layer}: top-1 ${row.score?.toFixed(3)}`);
    }
    const failed = evaluations.filter((row) => row.status === 'failed');
    for (const row of failed) console.log(`evaluation ${row.kind} failed: ${row.error}`);
    const report = await makeReport(client, [run.id], {
      outDir: join(workerConfig.ARTIFACT_DIR, 'reports', run.id),
    });
    console.log(`lab report: ${report.htmlPath}`);
    return failed.length === 0 ? 0 : 1;
  } finally {
    await worker.close();
    await api.close();
  }
}
