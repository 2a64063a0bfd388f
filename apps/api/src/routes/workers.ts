import { listWorkers, type Worker } from '@hourglass/db';
import { z } from 'zod';

import { defineRoute, type RouteDefinition } from '../route.ts';
import type { ApiServices } from '../services.ts';

const WorkerView = z.object({
  id: z.string(),
  host: z.string(),
  pid: z.number().int(),
  backend: z.string(),
  device: z.string(),
  queues: z.array(z.string()),
  status: z.enum(['online', 'stopped', 'lost']),
  currentRunId: z.string().nullable(),
  startedAt: z.iso.datetime(),
  heartbeatAt: z.iso.datetime(),
});

const WorkersView = z.object({ workers: z.array(WorkerView) });

const WorkersQuery = z.object({
  /** Include workers last seen up to this many seconds ago. */
  sinceSeconds: z.coerce.number().int().positive().max(30 * 24 * 3600).default(24 * 3600),
});

function toWorkerView(worker: Worker): z.output<typeof WorkerView> {
  return {
    ...worker,
    startedAt: worker.startedAt.toISOString(),
    heartbeatAt: worker.heartbeatAt.toISOString(),
  };
}

/** GET /v1/workers: workers with their status, backend and current run. */
export function workerRoutes(services: ApiServices): RouteDefinition[] {
  const list = defineRoute({
    method: 'GET',
    url: '/v1/workers',
    summary: 'Workers seen recently; one silent for too long is shown as lost',
    tag: 'workers',
    query: WorkersQuery,
    responses: { 200: { description: 'workers, newest heartbeat first', schema: WorkersView } },
    handler: async ({ query }) => {
      const workers = await listWorkers(services.db, {
        lostAfterMs: services.workerLostAfterMs,
        sinceMs: query.sinceSeconds * 1000,
      });
      return { workers: workers.map(toWorkerView) };
    },
  });
  return [list] as RouteDefinition[];
}
