import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadApiConfig, startApiServer, type ApiServer } from '@hourglass/api';
import { createSilentLogger } from '@hourglass/common';

/** The dashboard workspace's root. */
export const DASHBOARD_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WORKER_MAIN = resolve(DASHBOARD_ROOT, '../worker/src/main.ts');
/** Screenshots and logs of the browser tests (gitignored). */
export const OUTPUT_DIR = join(DASHBOARD_ROOT, 'test-output');

/**
 * Builds the dashboard into dist/, where the API serves it from. Built on
 * every run so the test never drives a stale bundle (about 2 s).
 */
export function buildDashboard(): void {
  const require = createRequire(import.meta.url);
  const vite = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: DASHBOARD_ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
  }
}

/** A real API serving the built dashboard, and a real worker process beside it. */
export interface DashboardFleet {
  api: ApiServer;
  baseUrl: string;
  prefix: string;
  artifactDir: string;
  worker: ChildProcess;
  close(): Promise<void>;
}

/**
 * Starts the API in this process (port 0, its own queue prefix) and a
 * worker as a child process (`apps/worker/src/main.ts`, wasm backend), as
 * a user would run them. The worker's log goes to test-output/worker.log.
 */
export async function startDashboardFleet(): Promise<DashboardFleet> {
  const prefix = `test-dashboard-${randomUUID()}`;
  const artifactDir = await mkdtemp(join(tmpdir(), 'hourglass-dashboard-artifacts-'));
  const env = { ...process.env, QUEUE_PREFIX: prefix, ARTIFACT_DIR: artifactDir };
  const api = await startApiServer(
    loadApiConfig({ ...env, PORT: '0', HOST: '127.0.0.1' }),
    createSilentLogger(),
  );

  await mkdir(OUTPUT_DIR, { recursive: true });
  const log = createWriteStream(join(OUTPUT_DIR, 'worker.log'));
  const worker = spawn(process.execPath, ['--import', 'tsx', WORKER_MAIN], {
    env: {
      ...env,
      HOURGLASS_BACKEND: 'wasm',
      WORKER_ID: `dashboard-test-${process.pid}`,
      HEARTBEAT_INTERVAL_MS: '1000',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout?.pipe(log);
  worker.stderr?.pipe(log);

  return {
    api,
    baseUrl: api.url,
    prefix,
    artifactDir,
    worker,
    close: async () => {
      const exited = new Promise((done) => worker.once('exit', done));
      if (worker.exitCode === null) worker.kill('SIGTERM');
      await Promise.race([exited, new Promise((done) => setTimeout(done, 20_000))]);
      if (worker.exitCode === null) worker.kill('SIGKILL');
      await api.services.trainingQueue.obliterate({ force: true }).catch(() => {});
      await api.services.evaluationQueue.obliterate({ force: true }).catch(() => {});
      await api.close();
      await rm(artifactDir, { recursive: true, force: true });
    },
  };
}
