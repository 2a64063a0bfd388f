import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';

import { acceptEmptyJsonBodies } from './json-body.ts';
import { installErrorHandler } from './error-handler.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { registerRoutes, type RouteDefinition } from './route.ts';
import { evaluationRoutes } from './routes/evaluations.ts';
import { healthRoutes } from './routes/health.ts';
import { runRoutes } from './routes/runs.ts';
import { sweepRoutes } from './routes/sweeps.ts';
import { workerRoutes } from './routes/workers.ts';
import type { ApiServices } from './services.ts';

/**
 * Builds the Fastify app on the given services. It opens no connection of
 * its own, so tests and the server wire it the same way.
 */
export function buildApp(services: ApiServices): FastifyInstance {
  // pino's Logger and Fastify's logger type differ only in typing details.
  const loggerInstance = services.logger as FastifyBaseLogger;
  const app = Fastify({ loggerInstance });
  installErrorHandler(app);
  acceptEmptyJsonBodies(app);

  const routes: RouteDefinition[] = [
    ...healthRoutes(services),
    ...runRoutes(services),
    ...evaluationRoutes(services),
    ...sweepRoutes(services),
    ...workerRoutes(services),
  ];
  registerRoutes(app, routes);

  const document = buildOpenApiDocument(routes);
  app.get('/v1/openapi.json', async () => document);

  return app;
}
