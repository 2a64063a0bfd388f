import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';

import { NotFoundError } from '@hourglass/common';
import { getArtifact, getRun, listArtifacts, listEvaluations } from '@hourglass/db';
import { z } from 'zod';

import {
  ArtifactsView,
  EvaluationStatusView,
  EvaluationsView,
  toArtifactView,
  toEvaluationView,
} from '../evaluation-views.ts';
import { defineRoute, type RouteDefinition } from '../route.ts';
import type { ApiServices } from '../services.ts';
import { ErrorView } from '../views.ts';

const IdParams = z.object({ id: z.uuid() });

const EvaluationQuery = z.object({
  kind: z.string().min(1).optional(),
  layer: z.string().optional(),
  area: z.string().optional(),
  method: z.string().optional(),
  step: z.coerce.number().int().min(0).optional(),
  status: EvaluationStatusView.optional(),
});

const ArtifactQuery = z.object({
  kind: z.string().min(1).optional(),
  step: z.coerce.number().int().min(0).optional(),
});

const badRequest = { description: 'invalid input; names the fields', schema: ErrorView };

/** The evaluation results of a run's checkpoints, and the files they wrote. */
export function evaluationRoutes(services: ApiServices): RouteDefinition[] {
  const { db } = services;

  const evaluations = defineRoute({
    method: 'GET',
    url: '/v1/runs/:id/evaluations',
    summary:
      'A run\'s evaluation results per checkpoint, layer and area; ' +
      'filter by kind, layer, area, method, step or status',
    tag: 'evaluations',
    params: IdParams,
    query: EvaluationQuery,
    responses: {
      200: { description: 'evaluation rows by step', schema: EvaluationsView },
      400: badRequest,
      404: { description: 'no run with that id', schema: ErrorView },
    },
    handler: async ({ params, query }) => {
      await getRun(db, params.id);
      const rows = await listEvaluations(db, params.id, query);
      return { runId: params.id, evaluations: rows.map(toEvaluationView) };
    },
  });

  const artifacts = defineRoute({
    method: 'GET',
    url: '/v1/runs/:id/artifacts',
    summary: 'A run\'s evaluation images (filter grids, reconstructions), by step and kind',
    tag: 'evaluations',
    params: IdParams,
    query: ArtifactQuery,
    responses: {
      200: { description: 'artifacts with the URL of their content', schema: ArtifactsView },
      400: badRequest,
      404: { description: 'no run with that id', schema: ErrorView },
    },
    handler: async ({ params, query }) => {
      await getRun(db, params.id);
      const rows = await listArtifacts(db, params.id, query);
      return { runId: params.id, artifacts: rows.map(toArtifactView) };
    },
  });

  const content = defineRoute({
    method: 'GET',
    url: '/v1/artifacts/:id/content',
    summary: 'The bytes of one artifact, with its media type',
    tag: 'evaluations',
    params: IdParams,
    responses: {
      200: { description: 'the file' },
      404: { description: 'no such artifact, or its file is gone', schema: ErrorView },
    },
    handler: async ({ params, reply }) => {
      const artifact = await getArtifact(db, params.id);
      const path = resolveInStore(services.artifactDir, artifact.location);
      const size =
        path === undefined
          ? undefined
          : await stat(path).then(
            (stats) => stats.size,
            () => undefined,
          );
      if (path === undefined || size === undefined) {
        throw new NotFoundError('artifact file', artifact.location);
      }
      reply
        .type(artifact.mediaType)
        .header('content-length', size)
        // An artifact's content never changes under its id.
        .header('cache-control', 'public, max-age=31536000, immutable');
      return reply.send(createReadStream(path));
    },
  });

  return [evaluations, artifacts, content] as RouteDefinition[];
}

// Rows hold paths relative to the store; one that climbs out is refused.
function resolveInStore(root: string, location: string): string | undefined {
  const path = resolve(root, location);
  return path.startsWith(root + sep) ? path : undefined;
}
