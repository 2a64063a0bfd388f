import { pingDatabase } from '@hourglass/db';
import { pingRedis } from '@hourglass/queue';
import { z } from 'zod';

import { defineRoute, type RouteDefinition } from '../route.ts';
import { withTimeout } from '../with-timeout.ts';
import type { ApiServices } from '../services.ts';

const ServiceState = z.enum(['ok', 'down']);

const HealthView = z.object({
  status: ServiceState,
  postgres: ServiceState,
  redis: ServiceState,
});

const CHECK_TIMEOUT_MS = 2_000;

async function check(probe: () => Promise<void>): Promise<'ok' | 'down'> {
  try {
    await withTimeout(probe(), CHECK_TIMEOUT_MS, 'health probe');
    return 'ok';
  } catch {
    return 'down';
  }
}

/** GET /v1/health: whether Postgres and Redis both answer. */
export function healthRoutes(services: ApiServices): RouteDefinition[] {
  const health = defineRoute({
    method: 'GET',
    url: '/v1/health',
    summary: 'Check that Postgres and Redis answer',
    tag: 'system',
    responses: {
      200: { description: 'both answer', schema: HealthView },
      503: { description: 'at least one does not', schema: HealthView },
    },
    handler: async ({ reply }) => {
      const [postgres, redis] = await Promise.all([
        check(() => pingDatabase(services.db)),
        check(() => pingRedis(services.redis)),
      ]);
      const status = postgres === 'ok' && redis === 'ok' ? 'ok' : 'down';
      reply.status(status === 'ok' ? 200 : 503);
      return { status, postgres, redis };
    },
  });
  return [health] as RouteDefinition[];
}
