import { createLogger, type Logger } from '@hourglass/common';
import { createDatabase } from '@hourglass/db';
import { createRedisConnection, createTrainingQueue } from '@hourglass/queue';
import type { FastifyInstance } from 'fastify';

import { buildApp } from './app.ts';
import type { ApiConfig } from './config.ts';
import type { ApiServices } from './services.ts';

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
  const redis = createRedisConnection(config.REDIS_URL);
  const queueConnection = createRedisConnection(config.REDIS_URL);
  const trainingQueue = createTrainingQueue({
    connection: queueConnection,
    prefix: config.QUEUE_PREFIX,
  });
  const services: ApiServices = {
    db,
    redis,
    trainingQueue,
    queuePrefix: config.QUEUE_PREFIX,
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
      // BullMQ leaves a connection it was handed open; ours are closed here.
      queueConnection.disconnect();
      redis.disconnect();
      await db.$disconnect();
    },
  };
}
