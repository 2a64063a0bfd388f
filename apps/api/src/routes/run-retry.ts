import { ConflictError, UnavailableError } from '@hourglass/common';
import { failRun, getRun, getSweep, retryRun, RETRYABLE_STATUSES } from '@hourglass/db';
import { enqueueTrainingRun, type TrainRunPayload } from '@hourglass/queue';
import { toJobPriority } from '@hourglass/sweeps';
import type { Queue } from 'bullmq';
import { z } from 'zod';

import { REDIS_TIMEOUT_MS } from '../queue-signals.ts';
import { defineRoute, type RouteDefinition } from '../route.ts';
import type { ApiServices } from '../services.ts';
import { ErrorView, RunView, toRunView } from '../views.ts';
import { withTimeout } from '../with-timeout.ts';

const RunParams = z.object({ id: z.uuid() });

/**
 * Removes what BullMQ still keeps of a run's last job. The job id is the
 * run id, and BullMQ ignores an add whose id exists, so a failed or
 * completed job left in the queue would swallow the retry. A job still
 * active means a worker has not yet let go of the run: that is a conflict.
 */
async function clearPreviousJob(queue: Queue<TrainRunPayload>, runId: string): Promise<void> {
  const job = await queue.getJob(runId);
  if (!job) return;
  const state = await job.getState();
  if (state === 'active') {
    throw new ConflictError(`run ${runId} is still stopping on its worker; retry in a moment`);
  }
  await job.remove();
}

/** POST /v1/runs/:id/retry: a failed or cancelled run goes back to the queue. */
export function runRetryRoutes(services: ApiServices): RouteDefinition[] {
  const { db, trainingQueue } = services;

  const retry = defineRoute({
    method: 'POST',
    url: '/v1/runs/:id/retry',
    summary:
      'Queue a failed or cancelled run again; it resumes from its last checkpoint',
    tag: 'runs',
    params: RunParams,
    responses: {
      200: { description: 'the run, queued again', schema: RunView },
      404: { description: 'no run with that id', schema: ErrorView },
      409: { description: 'the run is queued, running or finished well', schema: ErrorView },
      503: { description: 'the queue (Redis) is unavailable', schema: ErrorView },
    },
    handler: async ({ params }) => {
      // Checked before touching Redis, so a 409 leaves the queue as it was.
      const before = await getRun(db, params.id);
      if (!RETRYABLE_STATUSES.includes(before.status)) {
        throw new ConflictError(
          `run ${before.id} is ${before.status}; only failed or cancelled runs can be retried`,
        );
      }
      try {
        await withTimeout(clearPreviousJob(trainingQueue, before.id), REDIS_TIMEOUT_MS, 'redis');
      } catch (error) {
        if (error instanceof ConflictError) throw error;
        throw new UnavailableError('the queue (Redis) is unavailable; try again', {
          cause: error,
        });
      }

      const run = await retryRun(db, before.id);
      // A sweep's run goes back at its sweep's priority. It is queued at
      // once, even when the sweep's maxConcurrent runs are all training:
      // a retry may run one over the limit (README, limitations).
      const priority = run.sweepId
        ? toJobPriority((await getSweep(db, run.sweepId)).priority)
        : undefined;
      try {
        const work = enqueueTrainingRun(trainingQueue, run.id, priority ? { priority } : {});
        await withTimeout(work, REDIS_TIMEOUT_MS, 'redis');
      } catch (error) {
        await failRun(db, run.id, { message: 'could not be queued: Redis did not answer' });
        throw new UnavailableError('the queue (Redis) is unavailable; try again', {
          cause: error,
        });
      }
      services.logger.info({ runId: run.id, attempts: run.attempts }, 'run retried');
      return toRunView(run);
    },
  });

  return [retry] as RouteDefinition[];
}
