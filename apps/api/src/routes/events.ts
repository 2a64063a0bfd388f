import { getRun } from '@hourglass/db';
import { z } from 'zod';

import { defineRoute, type RouteDefinition } from '../route.ts';
import { formatServerSentEvent, RunEventStream } from '../run-event-stream.ts';
import type { ApiServices } from '../services.ts';
import { ErrorView } from '../views.ts';

const RunParams = z.object({ id: z.uuid() });

const EventsQuery = z.object({
  /** Send metric points after this step only (a client that already has the rest). */
  afterStep: z.coerce.number().int().min(-1).default(-1),
});

/** How often a stream looks for news, and how often it proves it is alive. */
const POLL_INTERVAL_MS = 1_000;
const KEEP_ALIVE_MS = 15_000;
const MAX_POINTS_PER_EVENT = 5_000;

const STREAM_DESCRIPTION = [
  'text/event-stream. Events: `run` (the run, at connect and whenever its status,',
  'step or attempts change), `metrics` ({points}: new points after the last step sent;',
  'the event id is that step, so a reconnecting EventSource resumes through',
  'Last-Event-ID), `evaluations` ({evaluations, removedIds}: new or changed rows),',
  '`artifacts` ({artifacts, removedIds}) and `gone` (the run was deleted).',
  'Postgres is polled about once a second; the stream ends when the client leaves.',
].join(' ');

/** The server-sent event stream of a run, and a way to end every open one. */
export interface RunEventRoutes {
  routes: RouteDefinition[];
  /** Ends every open stream, so the server can close. */
  closeAll(): void;
}

/** GET /v1/runs/:id/events: a run's progress, pushed as it happens. */
export function runEventRoutes(services: ApiServices): RunEventRoutes {
  const open = new Set<() => void>();

  const events = defineRoute({
    method: 'GET',
    url: '/v1/runs/:id/events',
    summary: 'Follow a run live: status, metric points, evaluations and artifacts as they come',
    tag: 'runs',
    params: RunParams,
    query: EventsQuery,
    responses: {
      200: { description: STREAM_DESCRIPTION },
      404: { description: 'no run with that id', schema: ErrorView },
    },
    handler: async ({ params, query, request, reply }) => {
      // A 404 goes out as JSON, before the response becomes a stream.
      await getRun(services.db, params.id);
      const lastEventId = Number(request.headers['last-event-id']);
      const afterStep = Number.isInteger(lastEventId) ? lastEventId : query.afterStep;

      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        // A buffering proxy (nginx) would hold events back until it fills a buffer.
        'x-accel-buffering': 'no',
      });
      response.write('retry: 2000\n\n');

      const stream = new RunEventStream(
        services,
        {
          runId: params.id,
          afterStep,
          pollIntervalMs: POLL_INTERVAL_MS,
          maxPointsPerEvent: MAX_POINTS_PER_EVENT,
        },
        (event) => {
          response.write(formatServerSentEvent(event));
          if (event.event === 'gone') end();
        },
      );
      // A comment line keeps idle proxies and load balancers from cutting the stream.
      const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
      const end = () => {
        stream.stop();
        clearInterval(keepAlive);
        open.delete(end);
        response.end();
      };
      open.add(end);
      request.raw.once('close', end);
      stream.start();
    },
  });

  return {
    routes: [events] as RouteDefinition[],
    closeAll: () => {
      for (const end of [...open]) end();
    },
  };
}
