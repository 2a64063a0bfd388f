import { parseOrThrow } from '@hourglass/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';

/** What a handler receives: its inputs already validated. */
export interface RouteInput<Params, Query, Body> {
  params: Params;
  query: Query;
  body: Body;
  request: FastifyRequest;
  reply: FastifyReply;
}

/** A documented response of a route: its description and body schema. */
export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
}

/**
 * One REST endpoint: its zod schemas validate the request and describe it in
 * the OpenAPI document, so the two cannot drift apart.
 */
export interface RouteDefinition<
  Params extends z.ZodType = z.ZodType,
  Query extends z.ZodType = z.ZodType,
  Body extends z.ZodType = z.ZodType,
> {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  summary: string;
  tag: string;
  params?: Params;
  query?: Query;
  body?: Body;
  responses: Record<number, RouteResponse>;
  handler: (
    input: RouteInput<z.output<Params>, z.output<Query>, z.output<Body>>,
  ) => Promise<unknown>;
}

/** Declares a route with its types inferred from its schemas. */
export function defineRoute<
  Params extends z.ZodType,
  Query extends z.ZodType,
  Body extends z.ZodType,
>(route: RouteDefinition<Params, Query, Body>): RouteDefinition<Params, Query, Body> {
  return route;
}

/**
 * Registers routes on Fastify, validating each part of the request with its
 * schema. A failure throws ValidationError naming the fields, which the error
 * handler turns into a 400.
 */
export function registerRoutes(
  app: FastifyInstance,
  routes: readonly RouteDefinition[],
): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      handler: async (request, reply) => {
        const params = route.params
          ? parseOrThrow(route.params, request.params, 'path parameters')
          : undefined;
        const query = route.query
          ? parseOrThrow(route.query, request.query, 'query string')
          : undefined;
        const body = route.body
          ? parseOrThrow(route.body, request.body ?? {}, 'request body')
          : undefined;
        return route.handler({ params, query, body, request, reply });
      },
    });
  }
}
