import type { Database } from './database.ts';
import type { Evaluation, Prisma } from './generated/client.ts';

export type { Evaluation } from './generated/client.ts';

/** Where an evaluation row's results come from: one checkpoint of a run. */
export interface EvaluationTarget {
  runId: string;
  checkpointId: string;
  step: number;
}

/** One score an evaluation produced, for one layer, area and method. */
export interface EvaluationResult {
  layer?: string;
  area?: string;
  method?: string;
  score: number | null;
  /** Everything else the evaluation computed; must be JSON (no NaN, no typed arrays). */
  details?: Record<string, unknown>;
}

/** Statuses of an evaluation row. */
export type EvaluationStatus = 'pending' | 'running' | 'succeeded' | 'failed';

// Until its results exist, an evaluation of a checkpoint is one row with
// empty layer, area and method: it carries the pending, running or failed
// status, and a user sees what is still to come.
function placeholderKey(target: EvaluationTarget, kind: string) {
  return {
    runId_step_kind_layer_area_method: {
      runId: target.runId,
      step: target.step,
      kind,
      layer: '',
      area: '',
      method: '',
    },
  };
}

/**
 * Marks the evaluations a checkpoint is queued for as pending. A kind
 * that already has rows for this checkpoint (a replayed job) is left as it
 * is.
 */
export async function markEvaluationsPending(
  db: Database,
  target: EvaluationTarget,
  kinds: readonly string[],
): Promise<void> {
  if (kinds.length === 0) return;
  const existing = await db.evaluation.findMany({
    where: { runId: target.runId, step: target.step, kind: { in: [...kinds] } },
    select: { kind: true },
  });
  const done = new Set(existing.map((row) => row.kind));
  await db.evaluation.createMany({
    data: kinds
      .filter((kind) => !done.has(kind))
      .map((kind) => ({ ...target, kind, status: 'pending' })),
    skipDuplicates: true,
  });
}

/** Marks one evaluation of a checkpoint as running, clearing an earlier error. */
export async function markEvaluationRunning(
  db: Database,
  target: EvaluationTarget,
  kind: string,
): Promise<void> {
  const data = { status: 'running', error: null, finishedAt: null };
  await db.evaluation.upsert({
    where: placeholderKey(target, kind),
    create: { ...target, kind, ...data },
    update: data,
  });
}

/**
 * Puts running evaluations of a checkpoint back to pending: their worker
 * stopped before finishing and another will take the job.
 */
export async function markEvaluationsRequeued(
  db: Database,
  target: EvaluationTarget,
  kinds: readonly string[],
): Promise<void> {
  await db.evaluation.updateMany({
    where: {
      runId: target.runId,
      step: target.step,
      kind: { in: [...kinds] },
      status: 'running',
    },
    data: { status: 'pending' },
  });
}

/**
 * Stores an evaluation's results, replacing whatever rows this checkpoint
 * had for the kind (its placeholder, or the results of an earlier try), in
 * one transaction so a reader never sees a half-written set.
 */
export async function recordEvaluationResults(
  db: Database,
  target: EvaluationTarget,
  kind: string,
  results: readonly EvaluationResult[],
): Promise<number> {
  const finishedAt = new Date();
  const rows = results.map((result) => ({
    ...target,
    kind,
    layer: result.layer ?? '',
    area: result.area ?? '',
    method: result.method ?? '',
    status: 'succeeded',
    score: result.score !== null && Number.isFinite(result.score) ? result.score : null,
    ...(result.details !== undefined ? { details: toJson(result.details) } : {}),
    finishedAt,
  }));
  const [, written] = await db.$transaction([
    db.evaluation.deleteMany({
      where: { runId: target.runId, step: target.step, kind },
    }),
    db.evaluation.createMany({ data: rows }),
  ]);
  return written.count;
}

/**
 * Records that an evaluation of a checkpoint failed: its rows are replaced
 * by one failed row whose error says why.
 */
export async function recordEvaluationFailure(
  db: Database,
  target: EvaluationTarget,
  kind: string,
  message: string,
): Promise<void> {
  await db.$transaction([
    db.evaluation.deleteMany({
      where: { runId: target.runId, step: target.step, kind },
    }),
    db.evaluation.create({
      data: { ...target, kind, status: 'failed', error: message, finishedAt: new Date() },
    }),
  ]);
}

export interface EvaluationQuery {
  kind?: string;
  layer?: string;
  area?: string;
  method?: string;
  step?: number;
  status?: EvaluationStatus;
}

/** A run's evaluation rows, by step, then kind, layer, area and method. */
export async function listEvaluations(
  db: Database,
  runId: string,
  query: EvaluationQuery = {},
): Promise<Evaluation[]> {
  return db.evaluation.findMany({
    where: { runId, ...query },
    orderBy: [
      { step: 'asc' },
      { kind: 'asc' },
      { layer: 'asc' },
      { area: 'asc' },
      { method: 'asc' },
    ],
  });
}

// A round trip through JSON turns NaN and Infinity into null, as JSON has
// neither, and typed arrays into plain objects.
function toJson(details: Record<string, unknown>): Prisma.InputJsonObject {
  return JSON.parse(JSON.stringify(details)) as Prisma.InputJsonObject;
}
