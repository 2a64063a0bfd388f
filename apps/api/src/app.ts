import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';

import { acceptEmptyJsonBodies } from './json-body.ts';
import { installErrorHandler } from './error-handler.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { registerRoutes, type RouteDefinition } from './route.ts';
import { DEFAULT_DASHBOARD_DIR, registerDashboard } from './routes/dashboard.ts';
import { evaluationRoutes } from './routes/evaluations.ts';
import { runEventRoutes } from './routes/events.ts';
import { healthRoutes } from './routes/health.ts';
import { queueRoutes } from './routes/queues.ts';
import { runRetryRoutes } from './routes/run-retry.ts';
import { runRoutes } from './routes/runs.ts';
import { sweepRoutes } from './routes/sweeps.ts';
import { workerRoutes } from './routes/workers.ts';
import type { ApiServices } from './services.ts';

/** What the app serves besides the API. */
export interface AppOptions {
  /** The built dashboard's folder; served at / when it exists. */
  dashboardDir?: string;
}

/**
 * Builds the Fastify app on the given services. It opens no connection of
 * its own, so tests and the server wire it the same way.
 */
export function buildApp(services: ApiServices, options: AppOptions = {}): FastifyInstance {
  // pino's Logger and Fastify's logger type differ only in typing details.
  const loggerInstance = services.logger as FastifyBaseLogger;
  const app = Fastify({ loggerInstance });
  installErrorHandler(app);
  acceptEmptyJsonBodies(app);

  const runEvents = runEventRoutes(services);
  // Open event streams would keep app.close() waiting for their clients.
  app.addHook('preClose', async () => runEvents.closeAll());

  const routes: RouteDefinition[] = [
    ...healthRoutes(services),
    ...runRoutes(services),
    ...runRetryRoutes(services),
    ...runEvents.routes,
    ...queueRoutes(services),
    ...evaluationRoutes(services),
    ...sweepRoutes(services),
    ...workerRoutes(services),
  ];
  registerRoutes(app, routes);

  const document = buildOpenApiDocument(routes);
  app.get('/v1/openapi.json', async () => document);
  app.register(async (scope) =>
    registerDashboard(scope, options.dashboardDir ?? DEFAULT_DASHBOARD_DIR),
  );

  return app;
}
