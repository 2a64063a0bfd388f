import { UnavailableError } from '@hourglass/common';
import {
  cancelRun,
  createRun,
  failRun,
  getRun,
  getSweep,
  listCheckpoints,
  listDownsampledMetrics,
  listMetrics,
  listRuns,
} from '@hourglass/db';
import { enqueueTrainingRun } from '@hourglass/queue';
import { RunSpec } from '@hourglass/specs';
import { z } from 'zod';

import { queueReleasedRuns, REDIS_TIMEOUT_MS, signalCancels } from '../queue-signals.ts';
import { defineRoute, type RouteDefinition } from '../route.ts';
import { withTimeout } from '../with-timeout.ts';
import type { ApiServices } from '../services.ts';
import {
  CheckpointsView,
  ErrorView,
  MetricsView,
  RunPageView,
  RunStatusView,
  RunView,
  toCheckpointView,
  toMetricPointView,
  toRunView,
} from '../views.ts';

const RunParams = z.object({ id: z.uuid() });

const RunListQuery = z.object({
  status: RunStatusView.optional(),
  sweepId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const MetricsQuery = z.object({
  name: z.string().min(1).optional(),
  afterStep: z.coerce.number().int().min(-1).optional(),
  limit: z.coerce.number().int().min(1).max(100_000).default(10_000),
  /**
   * Thin each metric to at most this many points (first, last, min and max
   * of equal-count buckets); a series that fits comes whole. `limit` then
   * does not apply.
   */
  maxPoints: z.coerce.number().int().min(4).max(100_000).optional(),
});

const badRequest = { description: 'invalid input; names the fields', schema: ErrorView };
const notFound = { description: 'no run with that id', schema: ErrorView };

/** The REST endpoints for runs. */
export function runRoutes(services: ApiServices): RouteDefinition[] {
  const { db, trainingQueue } = services;

  /**
   * A cancelled sweep run that no worker held frees its slot here, since no
   * worker will finish it; one that was training frees it in its worker too,
   * and releasing twice is harmless.
   */
  async function releaseSlot(sweepId: string): Promise<void> {
    try {
      await queueReleasedRuns(services, await getSweep(db, sweepId));
    } catch (error) {
      services.logger.warn({ err: error, sweepId }, 'next sweep run not queued');
    }
  }

  const submit = defineRoute({
    method: 'POST',
    url: '/v1/runs',
    summary: 'Submit a run: its spec is validated, stored with defaults filled in, and queued',
    tag: 'runs',
    body: RunSpec,
    responses: { 201: { description: 'the stored run', schema: RunView }, 400: badRequest },
    handler: async ({ body, reply }) => {
      const run = await createRun(db, { spec: body });
      try {
        await withTimeout(enqueueTrainingRun(trainingQueue, run.id), REDIS_TIMEOUT_MS, 'redis');
      } catch (error) {
        // The run stays stored, marked failed, so no record says "queued" falsely.
        await failRun(db, run.id, { message: 'could not be queued: Redis did not answer' });
        throw new UnavailableError('the queue (Redis) is unavailable; try again', {
          cause: error,
        });
      }
      reply.status(201).header('location', `/v1/runs/${run.id}`);
      return toRunView(run);
    },
  });

  const list = defineRoute({
    method: 'GET',
    url: '/v1/runs',
    summary: 'List runs, newest first, optionally by status or sweep',
    tag: 'runs',
    query: RunListQuery,
    responses: { 200: { description: 'one page of runs', schema: RunPageView }, 400: badRequest },
    handler: async ({ query }) => {
      const page = await listRuns(db, query);
      return {
        runs: page.runs.map(toRunView),
        total: page.total,
        limit: query.limit,
        offset: query.offset,
      };
    },
  });

  const show = defineRoute({
    method: 'GET',
    url: '/v1/runs/:id',
    summary: 'Get one run',
    tag: 'runs',
    params: RunParams,
    responses: { 200: { description: 'the run', schema: RunView }, 404: notFound },
    handler: async ({ params }) => toRunView(await getRun(db, params.id)),
  });

  const cancel = defineRoute({
    method: 'POST',
    url: '/v1/runs/:id/cancel',
    summary: 'Cancel a queued or running run; a running one stops within one batch',
    tag: 'runs',
    params: RunParams,
    responses: {
      200: { description: 'the cancelled run', schema: RunView },
      404: notFound,
      409: { description: 'the run has already finished', schema: ErrorView },
    },
    handler: async ({ params }) => {
      const run = await cancelRun(db, params.id);
      await signalCancels(services, [run]);
      if (run.sweepId) await releaseSlot(run.sweepId);
      return toRunView(run);
    },
  });

  const metrics = defineRoute({
    method: 'GET',
    url: '/v1/runs/:id/metrics',
    summary:
      'A run\'s metric points in step order; filter by name, page with afterStep, ' +
      'thin to maxPoints per name',
    tag: 'runs',
    params: RunParams,
    query: MetricsQuery,
    responses: { 200: { description: 'metric points', schema: MetricsView }, 404: notFound },
    handler: async ({ params, query }) => {
      await getRun(db, params.id);
      const points =
        query.maxPoints === undefined
          ? await listMetrics(db, params.id, query)
          : await listDownsampledMetrics(db, params.id, { ...query, maxPoints: query.maxPoints });
      return { runId: params.id, points: points.map(toMetricPointView) };
    },
  });

  const checkpoints = defineRoute({
    method: 'GET',
    url: '/v1/runs/:id/checkpoints',
    summary: 'A run\'s checkpoints with their file location, size and sha256',
    tag: 'runs',
    params: RunParams,
    responses: { 200: { description: 'checkpoints', schema: CheckpointsView }, 404: notFound },
    handler: async ({ params }) => {
      await getRun(db, params.id);
      const rows = await listCheckpoints(db, params.id);
      return { runId: params.id, checkpoints: rows.map(toCheckpointView) };
    },
  });

  return [submit, list, show, cancel, metrics, checkpoints] as RouteDefinition[];
}
