import type { Checkpoint, MetricPoint, Run } from '@hourglass/db';
import { RunSpec } from '@hourglass/specs';
import { z } from 'zod';

/** Run statuses as the API reports them. */
export const RunStatusView = z.enum([
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'stopped_early',
]);

/** A run as the API returns it. */
export const RunView = z.object({
  id: z.uuid(),
  /** The sweep the run belongs to, if any. */
  sweepId: z.uuid().nullable(),
  name: z.string().nullable(),
  family: z.string(),
  status: RunStatusView,
  attempts: z.number().int(),
  workerId: z.string().nullable(),
  backend: z.string().nullable(),
  device: z.string().nullable(),
  step: z.number().int(),
  totalSteps: z.number().int().nullable(),
  error: z.string().nullable(),
  errorCode: z.string().nullable(),
  spec: RunSpec,
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
});
export type RunView = z.output<typeof RunView>;

export const RunPageView = z.object({
  runs: z.array(RunView),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const MetricPointView = z.object({
  name: z.string(),
  step: z.number().int(),
  value: z.number(),
  time: z.iso.datetime(),
});

export const MetricsView = z.object({ runId: z.uuid(), points: z.array(MetricPointView) });

export const CheckpointView = z.object({
  id: z.uuid(),
  step: z.number().int(),
  location: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  createdAt: z.iso.datetime(),
});

export const CheckpointsView = z.object({
  runId: z.uuid(),
  checkpoints: z.array(CheckpointView),
});

export const ErrorView = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

/** Shapes a stored run for the API. */
export function toRunView(run: Run): RunView {
  return {
    id: run.id,
    sweepId: run.sweepId,
    name: run.name,
    family: run.family,
    status: run.status,
    attempts: run.attempts,
    workerId: run.workerId,
    backend: run.backend,
    device: run.device,
    step: run.step,
    totalSteps: run.totalSteps,
    error: run.error,
    errorCode: run.errorCode,
    spec: run.spec as RunView['spec'],
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
  };
}

/** Shapes a metric point for the API. */
export function toMetricPointView(point: MetricPoint) {
  return {
    name: point.name,
    step: point.step,
    value: point.value,
    time: point.createdAt.toISOString(),
  };
}

/** Shapes a checkpoint row for the API; sizes fit in a double for any real file. */
export function toCheckpointView(checkpoint: Checkpoint) {
  return {
    id: checkpoint.id,
    step: checkpoint.step,
    location: checkpoint.location,
    sizeBytes: Number(checkpoint.sizeBytes),
    sha256: checkpoint.sha256,
    createdAt: checkpoint.createdAt.toISOString(),
  };
}
