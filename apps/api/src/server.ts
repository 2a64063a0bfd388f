import { createLogger, type Logger } from '@hourglass/common';
import { createDatabase } from '@hourglass/db';
import {
  createEvaluationQueue,
  createRedisConnection,
  createTrainingQueue,
} from '@hourglass/queue';
import type { FastifyInstance } from 'fastify';
import type { Redis, RedisOptions } from 'ioredis';

import { buildApp } from './app.ts';
import type { ApiConfig } from './config.ts';
import type { ApiServices } from './services.ts';

const FAIL_FAST: RedisOptions = { enableOfflineQueue: false, maxRetriesPerRequest: 1 };
const CONNECT_WAIT_MS = 5_000;

/** Gives Redis a moment to connect, so the first requests need not fail. */
async function waitUntilConnected(connections: Redis[], logger: Logger): Promise<void> {
  const ready = (connection: Redis) =>
    connection.status === 'ready'
      ? Promise.resolve()
      : new Promise<void>((resolve) => connection.once('ready', () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(resolve, CONNECT_WAIT_MS, 'timeout');
  });
  const result = await Promise.race([Promise.all(connections.map(ready)), timeout]);
  clearTimeout(timer);
  if (result === 'timeout') logger.warn('redis is not answering; submits answer 503 until it does');
}

/** A running API: its app, its services, and how to stop both. */
export interface ApiServer {
  app: FastifyInstance;
  services: ApiServices;
  url: string;
  close(): Promise<void>;
}

/** Opens the API's connections and starts listening on config.HOST:PORT. */
export async function startApiServer(
  config: ApiConfig,
  logger: Logger = createLogger('hourglass-api'),
): Promise<ApiServer> {
  const db = createDatabase(config.DATABASE_URL);
  // A request must not hang while Redis is down: without the offline queue,
  // commands fail at once and the route answers 503 (BullMQ's "failing fast
  // when Redis is down" pattern). Workers keep the waiting default.
  const redis = createRedisConnection(config.REDIS_URL, FAIL_FAST);
  const queueConnection = createRedisConnection(config.REDIS_URL, FAIL_FAST);
  for (const connection of [redis, queueConnection]) {
    // ioredis reconnects by itself; an error here is only worth a line.
    connection.on('error', (error) => logger.debug({ err: error }, 'redis connection error'));
  }
  await waitUntilConnected([redis, queueConnection], logger);
  const trainingQueue = createTrainingQueue({
    connection: queueConnection,
    prefix: config.QUEUE_PREFIX,
  });
  const evaluationQueue = createEvaluationQueue({
    connection: queueConnection,
    prefix: config.QUEUE_PREFIX,
  });
  const services: ApiServices = {
    db,
    redis,
    trainingQueue,
    evaluationQueue,
    artifactDir: config.ARTIFACT_DIR,
    queuePrefix: config.QUEUE_PREFIX,
    workerLostAfterMs: config.WORKER_LOST_AFTER_MS,
    sweepMaxRuns: config.SWEEP_MAX_RUNS,
    logger,
  };

  const app = buildApp(services);
  const address = await app.listen({ host: config.HOST, port: config.PORT });

  return {
    app,
    services,
    url: address,
    close: async () => {
      await app.close();
      await trainingQueue.close();
      await evaluationQueue.close();
      // BullMQ leaves a connection it was handed open; ours are closed here.
      queueConnection.disconnect();
      redis.disconnect();
      await db.$disconnect();
    },
  };
}
