import type { FastifyInstance } from 'fastify';

/** A client's body that is not JSON: a 400 naming the problem. */
class InvalidJsonBodyError extends Error {
  readonly statusCode = 400;
  readonly code = 'HG_INVALID_JSON';
}

/**
 * Parses JSON bodies, treating an empty body as no body. Many HTTP clients
 * send `content-type: application/json` with an empty body on a POST such
 * as cancel, which Fastify's own parser rejects.
 */
export function acceptEmptyJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(new InvalidJsonBodyError(`request body is not valid JSON: ${(error as Error).message}`));
    }
  });
}
