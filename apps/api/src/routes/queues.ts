import { UnavailableError } from '@hourglass/common';
import type { Queue } from 'bullmq';
import { z } from 'zod';

import { REDIS_TIMEOUT_MS } from '../queue-signals.ts';
import { defineRoute, type RouteDefinition } from '../route.ts';
import type { ApiServices } from '../services.ts';
import { ErrorView } from '../views.ts';
import { withTimeout } from '../with-timeout.ts';

/** How many jobs one queue holds in each state that a user watches. */
const QueueCountsView = z.object({
  name: z.string(),
  /** Waiting to be taken, prioritized jobs included. */
  waiting: z.number().int(),
  active: z.number().int(),
  /** Waiting out a retry backoff. */
  delayed: z.number().int(),
  failed: z.number().int(),
  completed: z.number().int(),
});

const QueuesView = z.object({ queues: z.array(QueueCountsView) });

const STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'] as const;

async function countJobs(queue: Queue): Promise<z.output<typeof QueueCountsView>> {
  const counts = await queue.getJobCounts(...STATES);
  const count = (state: (typeof STATES)[number]) => counts[state] ?? 0;
  return {
    name: queue.name,
    // BullMQ keeps jobs with a priority in a set of their own; to a user
    // they are waiting like the rest.
    waiting: count('waiting') + count('prioritized'),
    active: count('active'),
    delayed: count('delayed'),
    failed: count('failed'),
    completed: count('completed'),
  };
}

/** GET /v1/queues: job counts per state of the training and evaluation queues. */
export function queueRoutes(services: ApiServices): RouteDefinition[] {
  const list = defineRoute({
    method: 'GET',
    url: '/v1/queues',
    summary: 'Job counts per state (waiting, active, delayed, failed, completed) of each queue',
    tag: 'queues',
    responses: {
      200: { description: 'one entry per queue', schema: QueuesView },
      503: { description: 'Redis did not answer', schema: ErrorView },
    },
    handler: async () => {
      const queues = [services.trainingQueue, services.evaluationQueue] as Queue[];
      try {
        const work = Promise.all(queues.map(countJobs));
        return { queues: await withTimeout(work, REDIS_TIMEOUT_MS, 'redis') };
      } catch (error) {
        // Without its offline queue, ioredis fails at once while Redis is down.
        throw new UnavailableError('the queue (Redis) is unavailable', { cause: error });
      }
    },
  });
  return [list] as RouteDefinition[];
}
