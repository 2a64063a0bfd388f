import { Redis, type RedisOptions } from 'ioredis';

/** The Redis used when REDIS_URL is not set: the local default. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * Opens a Redis connection suitable for BullMQ. Workers need
 * `maxRetriesPerRequest: null` so that a blocking command survives a Redis
 * restart instead of failing the worker; ioredis then reconnects on its own.
 */
export function createRedisConnection(
  url: string = process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
  options: RedisOptions = {},
): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, ...options });
}

/** Resolves when Redis answers PING; throws otherwise. */
export async function pingRedis(redis: Redis): Promise<void> {
  const answer = await redis.ping();
  if (answer !== 'PONG') throw new Error(`redis answered ${answer} to PING`);
}
