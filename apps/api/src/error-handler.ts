import { HourglassError, ValidationError } from '@hourglass/common';
import type { FastifyError, FastifyInstance } from 'fastify';

/** HTTP status for each error code; anything unlisted is a 500. */
const STATUS_BY_CODE: Record<string, number> = {
  HG_VALIDATION: 400,
  HG_NOT_FOUND: 404,
  HG_CONFLICT: 409,
  HG_UNAVAILABLE: 503,
};

/**
 * Maps errors to responses in one place: coded errors by their code,
 * Fastify's own 4xx errors (bad JSON, wrong content type) as they are, and
 * everything else as a 500 that is logged and says nothing of the internals.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HourglassError, request, reply) => {
    if (error instanceof HourglassError) {
      const status = STATUS_BY_CODE[error.code] ?? 500;
      const level = status >= 500 ? 'error' : 'info';
      request.log[level]({ err: error, code: error.code }, 'request failed');
      return reply.status(status).send({
        error: {
          code: error.code,
          message: error.message,
          ...(error instanceof ValidationError ? { issues: error.issues } : {}),
        },
      });
    }

    const fastifyStatus = 'statusCode' in error ? error.statusCode : undefined;
    if (fastifyStatus !== undefined && fastifyStatus >= 400 && fastifyStatus < 500) {
      request.log.info({ err: error }, 'request rejected');
      return reply.status(fastifyStatus).send({
        error: { code: error.code ?? 'HG_BAD_REQUEST', message: error.message },
      });
    }

    request.log.error({ err: error }, 'request failed unexpectedly');
    return reply.status(500).send({
      error: { code: 'HG_INTERNAL', message: 'internal error; see the API log' },
    });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: { code: 'HG_NOT_FOUND', message: `no route ${request.method} ${request.url}` },
    }),
  );
}
