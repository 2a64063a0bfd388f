import type { Run } from '@hourglass/db';
import { releaseSweepRuns } from '@hourglass/db';
import { enqueueTrainingRuns, publishCancel, removeQueuedRun } from '@hourglass/queue';
import { toJobPriority } from '@hourglass/sweeps';

import type { ApiServices } from './services.ts';
import { withTimeout } from './with-timeout.ts';

/** How long a request waits for Redis before giving up on it. */
export const REDIS_TIMEOUT_MS = 2_000;

/**
 * Carries cancels recorded in Postgres to Redis: a waiting job is removed
 * and workers are told to stop a running run within one batch. Runs held
 * back by their sweep have no job and are skipped. When Redis does not
 * answer the cancels still take effect, since workers re-read a run's
 * status before starting it and at every metrics write.
 */
export async function signalCancels(
  services: ApiServices,
  runs: readonly Pick<Run, 'id' | 'isHeld'>[],
): Promise<void> {
  const { trainingQueue, redis, queuePrefix } = services;
  const signalled = runs.filter((run) => !run.isHeld);
  try {
    await withTimeout(
      Promise.all(
        signalled.flatMap((run) => [
          removeQueuedRun(trainingQueue, run.id),
          publishCancel(redis, run.id, queuePrefix),
        ]),
      ),
      REDIS_TIMEOUT_MS,
      'redis',
    );
  } catch (error) {
    const runIds = signalled.map((run) => run.id);
    services.logger.warn({ err: error, runIds }, 'cancel not sent through redis');
  }
}

/**
 * Releases a sweep's held runs into its free slots and queues them at the
 * sweep's priority. Throws UnavailableError when Redis does not answer.
 */
export async function queueReleasedRuns(
  services: ApiServices,
  sweep: { id: string; priority: number },
): Promise<void> {
  const runIds = await releaseSweepRuns(services.db, sweep.id);
  await withTimeout(
    enqueueTrainingRuns(services.trainingQueue, runIds, {
      priority: toJobPriority(sweep.priority),
    }),
    REDIS_TIMEOUT_MS,
    'redis',
  );
}
