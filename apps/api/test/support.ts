import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createSilentLogger } from '@hourglass/common';
import { createDatabase, type Database } from '@hourglass/db';
import {
  createEvaluationQueue,
  createRedisConnection,
  createTrainingQueue,
} from '@hourglass/queue';
import type { FastifyInstance } from 'fastify';

import { buildApp, type ApiServices } from '../src/index.ts';

/** A Redis address where nothing listens, to play an outage. */
export const DEAD_REDIS_URL = 'redis://127.0.0.1:1';

/** Connection options that fail a command at once instead of waiting for Redis. */
const FAIL_FAST = {
  lazyConnect: true,
  maxRetriesPerRequest: 0,
  enableOfflineQueue: false,
  retryStrategy: () => null,
} as const;

export interface TestApi {
  app: FastifyInstance;
  services: ApiServices;
  db: Database;
  /** Remembers a run this file made, so that close() deletes it. */
  track(runId: string): void;
  /** Closes the app, deletes the tracked runs, empties the queue, closes connections. */
  close(): Promise<void>;
}

/**
 * Builds the app on real Postgres and Redis with a queue prefix of its own.
 * With `isRedisDown`, Redis and the queue point at a port where nothing
 * listens and fail fast, as during an outage.
 */
export async function openTestApi(
  options: { isRedisDown?: boolean; sweepMaxRuns?: number; artifactDir?: string } = {},
): Promise<TestApi> {
  const isRedisDown = options.isRedisDown ?? false;
  const redisUrl = isRedisDown ? DEAD_REDIS_URL : undefined;
  const redisOptions = isRedisDown ? FAIL_FAST : {};
  const prefix = `test-${randomUUID()}`;

  const db = createDatabase();
  const redis = createRedisConnection(redisUrl, redisOptions);
  const queueConnection = createRedisConnection(redisUrl, redisOptions);
  const trainingQueue = createTrainingQueue({ connection: queueConnection, prefix });
  const evaluationQueue = createEvaluationQueue({ connection: queueConnection, prefix });
  if (isRedisDown) {
    // The refused connections are expected here; they must not reach the console.
    redis.on('error', () => {});
    queueConnection.on('error', () => {});
    trainingQueue.on('error', () => {});
    evaluationQueue.on('error', () => {});
  }
  const services: ApiServices = {
    db,
    redis,
    trainingQueue,
    evaluationQueue,
    artifactDir: options.artifactDir ?? join(tmpdir(), `hourglass-api-${prefix}`),
    queuePrefix: prefix,
    workerLostAfterMs: 30_000,
    sweepMaxRuns: options.sweepMaxRuns ?? 500,
    logger: createSilentLogger(),
  };
  const app = buildApp(services);
  await app.ready();

  const runIds: string[] = [];
  return {
    app,
    services,
    db,
    track: (runId) => {
      runIds.push(runId);
    },
    close: async () => {
      await app.close();
      await db.run.deleteMany({ where: { id: { in: runIds } } });
      if (!isRedisDown) {
        await trainingQueue.obliterate({ force: true });
        await evaluationQueue.obliterate({ force: true });
      }
      await trainingQueue.close().catch(() => {});
      await evaluationQueue.close().catch(() => {});
      queueConnection.disconnect();
      redis.disconnect();
      await db.$disconnect();
    },
  };
}

/**
 * Waits for `promise`, rejecting after `timeoutMs`, so that a test waiting on
 * a message fails and runs its cleanup instead of hanging the process.
 */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    const error = new Error(`${what} did not happen in ${timeoutMs}ms`);
    timer = setTimeout(() => reject(error), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
