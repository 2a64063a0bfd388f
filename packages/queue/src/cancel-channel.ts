import type { Redis } from 'ioredis';

/**
 * Cancellation crosses processes (the API marks a run cancelled, a worker on
 * another machine must stop it within a batch), so it travels over Redis
 * pub/sub. Workers also re-read the run's status from Postgres, which covers
 * a message lost while a worker was reconnecting.
 */
export function cancelChannel(prefix = 'hourglass'): string {
  return `${prefix}:run-cancelled`;
}

/** Tells every worker that a run was cancelled. */
export async function publishCancel(redis: Redis, runId: string, prefix?: string): Promise<void> {
  await redis.publish(cancelChannel(prefix), runId);
}

/**
 * Calls `onCancel` with the id of every run cancelled from now on. Takes its
 * own connection (a subscribed connection can do nothing else) and returns a
 * function that unsubscribes and closes it.
 */
export async function subscribeCancels(
  subscriber: Redis,
  onCancel: (runId: string) => void,
  prefix?: string,
): Promise<() => Promise<void>> {
  const channel = cancelChannel(prefix);
  subscriber.on('message', (from: string, runId: string) => {
    if (from === channel) onCancel(runId);
  });
  await subscriber.subscribe(channel);
  return async () => {
    await subscriber.unsubscribe(channel);
    subscriber.disconnect();
  };
}
