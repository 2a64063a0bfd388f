import { resolve } from 'node:path';

import { parseOrThrow } from '@hourglass/common';
import { DEFAULT_DATABASE_URL } from '@hourglass/db';
import { DEFAULT_REDIS_URL } from '@hourglass/queue';
import { z } from 'zod';

const ApiEnvironment = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  DATABASE_URL: z.string().default(DEFAULT_DATABASE_URL),
  REDIS_URL: z.string().default(DEFAULT_REDIS_URL),
  QUEUE_PREFIX: z.string().min(1).default('hourglass'),
  /** Root of the artifact store the workers write to (same setting as theirs). */
  ARTIFACT_DIR: z.string().min(1).default('artifacts'),
  /** A worker silent this long is shown as lost (workers beat every 5 s). */
  WORKER_LOST_AFTER_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** A sweep that would expand into more runs than this is refused. */
  SWEEP_MAX_RUNS: z.coerce.number().int().min(1).max(100_000).default(500),
});

/** The API's settings, read once at start from the environment, then frozen. */
export type ApiConfig = Readonly<z.output<typeof ApiEnvironment>>;

/** Reads and validates the API's environment; a bad value names its variable. */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = parseOrThrow(ApiEnvironment, env, 'environment');
  return Object.freeze({ ...parsed, ARTIFACT_DIR: resolve(parsed.ARTIFACT_DIR) });
}
