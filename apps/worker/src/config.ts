import { hostname } from 'node:os';
import { resolve } from 'node:path';

import { parseOrThrow } from '@hourglass/common';
import { DEFAULT_DATABASE_URL } from '@hourglass/db';
import { DEFAULT_REDIS_URL } from '@hourglass/queue';
import { z } from 'zod';

const WorkerEnvironment = z.object({
  DATABASE_URL: z.string().default(DEFAULT_DATABASE_URL),
  REDIS_URL: z.string().default(DEFAULT_REDIS_URL),
  QUEUE_PREFIX: z.string().min(1).default('hourglass'),
  /** Root of the artifact store; checkpoint rows hold paths relative to it. */
  ARTIFACT_DIR: z.string().min(1).default('artifacts'),
  HOURGLASS_BACKEND: z
    .enum(['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'])
    .default('auto'),
  WORKER_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
  /** The queues this worker takes jobs from, comma-separated. */
  WORKER_QUEUES: z
    .string()
    .default('training,evaluation')
    .transform((value) => value.split(',').map((name) => name.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['training', 'evaluation'])).min(1)),
  /** How long a job's lock lasts without renewal before it may be taken as stalled. */
  LOCK_DURATION_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** How often this worker looks for stalled jobs of crashed workers. */
  STALLED_INTERVAL_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** How often the worker writes its heartbeat to Postgres. */
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000),
  /** How long SIGTERM waits for the running run to checkpoint before exiting. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(60_000),
});

/** The worker's settings, read once at start from the environment, then frozen. */
export type WorkerConfig = Readonly<
  Omit<z.output<typeof WorkerEnvironment>, 'ARTIFACT_DIR'> & { ARTIFACT_DIR: string }
>;

/** Reads and validates the worker's environment; a bad value names its variable. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = parseOrThrow(WorkerEnvironment, env, 'environment');
  return Object.freeze({ ...parsed, ARTIFACT_DIR: resolve(parsed.ARTIFACT_DIR) });
}
