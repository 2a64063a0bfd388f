import type { Artifact, Evaluation } from '@hourglass/db';
import { z } from 'zod';

export const EvaluationStatusView = z.enum(['pending', 'running', 'succeeded', 'failed']);

/**
 * One evaluation result of one checkpoint. `score` is the number a user
 * sorts by (top-1, Spearman r, median noise-corrected explained variance,
 * median Gabor score); `details` holds the rest of what was computed.
 */
export const EvaluationView = z.object({
  id: z.uuid(),
  runId: z.uuid(),
  checkpointId: z.uuid().nullable(),
  step: z.number().int(),
  kind: z.string(),
  layer: z.string(),
  area: z.string(),
  method: z.string(),
  status: EvaluationStatusView,
  score: z.number().nullable(),
  details: z.unknown(),
  error: z.string().nullable(),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
});

export const EvaluationsView = z.object({
  runId: z.uuid(),
  evaluations: z.array(EvaluationView),
});

/** A file an evaluation wrote, and where the API serves it. */
export const ArtifactView = z.object({
  id: z.uuid(),
  runId: z.uuid(),
  step: z.number().int().nullable(),
  kind: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  createdAt: z.iso.datetime(),
  url: z.string(),
});

export const ArtifactsView = z.object({
  runId: z.uuid(),
  artifacts: z.array(ArtifactView),
});

/** Shapes an evaluation row for the API. */
export function toEvaluationView(row: Evaluation): z.output<typeof EvaluationView> {
  return {
    id: row.id,
    runId: row.runId,
    checkpointId: row.checkpointId,
    step: row.step,
    kind: row.kind,
    layer: row.layer,
    area: row.area,
    method: row.method,
    status: row.status as z.output<typeof EvaluationStatusView>,
    score: row.score,
    details: row.details ?? null,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt ? row.finishedAt.toISOString() : null,
  };
}

/** Shapes an artifact row for the API, with the URL of its content. */
export function toArtifactView(row: Artifact): z.output<typeof ArtifactView> {
  return {
    id: row.id,
    runId: row.runId,
    step: row.step,
    kind: row.kind,
    mediaType: row.mediaType,
    sizeBytes: Number(row.sizeBytes),
    sha256: row.sha256,
    createdAt: row.createdAt.toISOString(),
    url: `/v1/artifacts/${row.id}/content`,
  };
}
