import { UnavailableError } from '@hourglass/common';
import {
  abandonSweep,
  cancelSweep,
  createSweep,
  getSweep,
  listSweeps,
  tallySweepRuns,
} from '@hourglass/db';
import { enqueueTrainingRuns } from '@hourglass/queue';
import { expandSweep, SweepSpec, toJobPriority } from '@hourglass/sweeps';
import { z } from 'zod';

import { REDIS_TIMEOUT_MS, signalCancels } from '../queue-signals.ts';
import { defineRoute, type RouteDefinition } from '../route.ts';
import type { ApiServices } from '../services.ts';
import { buildLeaderboard, EVALUATION_METRIC_PREFIX } from '../sweep-leaderboard.ts';
import {
  CreatedSweepView,
  SweepDetailView,
  SweepPageView,
  SweepView,
  toSweepView,
} from '../sweep-views.ts';
import { ErrorView } from '../views.ts';
import { withTimeout } from '../with-timeout.ts';

const SweepParams = z.object({ id: z.uuid() });

const SweepListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const SweepQuery = z.object({
  /**
   * The metric to rank by: a training metric (by default the early-stopping
   * metric, else loss/total), or `eval:<kind>` for an evaluation score.
   */
  metric: z.string().min(1).max(200).optional(),
  mode: z.enum(['min', 'max']).optional(),
  limit: z.coerce.number().int().min(1).max(100_000).default(100),
  /** With an `eval:` metric: the layer, area, method and checkpoint step. */
  layer: z.string().optional(),
  area: z.string().optional(),
  method: z.string().optional(),
  step: z.coerce.number().int().min(0).optional(),
});

const badRequest = { description: 'invalid input; names the fields', schema: ErrorView };
const notFound = { description: 'no sweep with that id', schema: ErrorView };

/** The REST endpoints for sweeps. */
export function sweepRoutes(services: ApiServices): RouteDefinition[] {
  const { db } = services;

  async function viewOf(sweepId: string) {
    const sweep = await getSweep(db, sweepId);
    const tallies = await tallySweepRuns(db, [sweep.id]);
    return { sweep, view: toSweepView(sweep, tallies.get(sweep.id)!) };
  }

  const submit = defineRoute({
    method: 'POST',
    url: '/v1/sweeps',
    summary:
      'Submit a sweep: it is expanded into runs, each validated, all stored at once, ' +
      'and the first maxConcurrent queued',
    tag: 'sweeps',
    body: SweepSpec,
    responses: {
      201: { description: 'the stored sweep and its runs\' ids', schema: CreatedSweepView },
      400: badRequest,
      503: { description: 'the queue (Redis) is unavailable', schema: ErrorView },
    },
    handler: async ({ body, reply }) => {
      const runs = expandSweep(body, { maxRuns: services.sweepMaxRuns });
      const created = await createSweep(db, {
        ...(body.name ? { name: body.name } : {}),
        spec: body,
        baseSpec: body.base,
        space: body.parameters,
        maxConcurrent: body.maxConcurrent ?? null,
        priority: body.priority,
        runs,
      });
      const { sweep } = created;
      try {
        await withTimeout(
          enqueueTrainingRuns(services.trainingQueue, created.releasedRunIds, {
            priority: toJobPriority(sweep.priority),
          }),
          REDIS_TIMEOUT_MS,
          'redis',
        );
      } catch (error) {
        // Stored but never to be trained: its runs say failed, not queued.
        await abandonSweep(db, sweep.id, { message: 'could not be queued: Redis did not answer' });
        throw new UnavailableError('the queue (Redis) is unavailable; try again', {
          cause: error,
        });
      }
      services.logger.info({ sweepId: sweep.id, runs: runs.length }, 'sweep submitted');

      const { view } = await viewOf(sweep.id);
      reply.status(201).header('location', `/v1/sweeps/${sweep.id}`);
      return { ...view, runIds: created.runIds };
    },
  });

  const list = defineRoute({
    method: 'GET',
    url: '/v1/sweeps',
    summary: 'List sweeps, newest first, with their run counts',
    tag: 'sweeps',
    query: SweepListQuery,
    responses: {
      200: { description: 'one page of sweeps', schema: SweepPageView },
      400: badRequest,
    },
    handler: async ({ query }) => {
      const page = await listSweeps(db, query);
      const tallies = await tallySweepRuns(db, page.sweeps.map((sweep) => sweep.id));
      return {
        sweeps: page.sweeps.map((sweep) => toSweepView(sweep, tallies.get(sweep.id)!)),
        total: page.total,
        limit: query.limit,
        offset: query.offset,
      };
    },
  });

  const show = defineRoute({
    method: 'GET',
    url: '/v1/sweeps/:id',
    summary: 'One sweep: run counts and a leaderboard ranked by ?metric= and ?mode=',
    tag: 'sweeps',
    params: SweepParams,
    query: SweepQuery,
    responses: {
      200: { description: 'the sweep and its leaderboard', schema: SweepDetailView },
      400: badRequest,
      404: notFound,
    },
    handler: async ({ params, query }) => {
      const { sweep, view } = await viewOf(params.id);
      const stopping = view.spec.earlyStopping;
      const metric = query.metric ?? stopping?.metric ?? 'loss/total';
      const isEvaluation = metric.startsWith(EVALUATION_METRIC_PREFIX);
      // Evaluation scores are better higher, but for reconstruction error.
      const evaluationMode = metric.endsWith(':reconstructions') ? 'min' : 'max';
      const mode = query.mode ?? (isEvaluation ? evaluationMode : stopping?.mode ?? 'min');
      const { layer, area, method, step } = query;
      const entries = await buildLeaderboard(db, sweep, {
        metric,
        mode,
        limit: query.limit,
        ...(isEvaluation ? { evaluation: { layer, area, method, step } } : {}),
      });
      return { ...view, leaderboard: { metric, mode, entries } };
    },
  });

  const cancel = defineRoute({
    method: 'POST',
    url: '/v1/sweeps/:id/cancel',
    summary:
      'Cancel a sweep: queued runs leave the queue, running ones stop within one batch, ' +
      'finished ones are kept',
    tag: 'sweeps',
    params: SweepParams,
    responses: { 200: { description: 'the cancelled sweep', schema: SweepView }, 404: notFound },
    handler: async ({ params }) => {
      const { cancelledRuns } = await cancelSweep(db, params.id);
      await signalCancels(services, cancelledRuns);
      services.logger.info(
        { sweepId: params.id, runs: cancelledRuns.length },
        'sweep cancelled',
      );
      return (await viewOf(params.id)).view;
    },
  });

  return [submit, list, show, cancel] as RouteDefinition[];
}
