import { ConflictError, NotFoundError } from '@hourglass/common';
import type { RunSpec } from '@hourglass/specs';

import type { Database } from './database.ts';
import type { Prisma, Run, RunStatus } from './generated/client.ts';

export type { Run, RunStatus } from './generated/client.ts';

/** Statuses after which a run never changes again. */
export const FINISHED_STATUSES: readonly RunStatus[] = [
  'succeeded',
  'failed',
  'cancelled',
  'stopped_early',
];

/** Whether a run has reached a status it will not leave. */
export function isFinished(status: RunStatus): boolean {
  return FINISHED_STATUSES.includes(status);
}

export interface NewRun {
  spec: RunSpec;
  sweepId?: string;
}

/** Stores a run, queued, with its parsed spec exactly as given. */
export async function createRun(db: Database, run: NewRun): Promise<Run> {
  return db.run.create({
    data: {
      name: run.spec.name ?? null,
      family: run.spec.model.family,
      spec: run.spec as unknown as Prisma.InputJsonValue,
      sweepId: run.sweepId ?? null,
    },
  });
}

/** Loads a run or throws NotFoundError. */
export async function getRun(db: Database, id: string): Promise<Run> {
  const run = await db.run.findUnique({ where: { id } });
  if (!run) throw new NotFoundError('run', id);
  return run;
}

export interface RunQuery {
  status?: RunStatus;
  sweepId?: string;
  limit: number;
  offset: number;
}

/** One page of runs, newest first, with the total that match. */
export async function listRuns(
  db: Database,
  query: RunQuery,
): Promise<{ runs: Run[]; total: number }> {
  const where: Prisma.RunWhereInput = {
    ...(query.status ? { status: query.status } : {}),
    ...(query.sweepId ? { sweepId: query.sweepId } : {}),
  };
  const [runs, total] = await db.$transaction([
    db.run.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: query.limit,
      skip: query.offset,
    }),
    db.run.count({ where }),
  ]);
  return { runs, total };
}

/**
 * Marks a queued or running run cancelled. A finished run cannot be
 * cancelled: ConflictError says which status it has.
 */
export async function cancelRun(db: Database, id: string): Promise<Run> {
  const updated = await db.run.updateMany({
    where: { id, status: { in: ['queued', 'running'] } },
    data: { status: 'cancelled', finishedAt: new Date() },
  });
  const run = await getRun(db, id);
  if (updated.count === 0 && run.status !== 'cancelled') {
    throw new ConflictError(`run ${id} is already ${run.status} and cannot be cancelled`);
  }
  return run;
}

export interface RunStart {
  workerId: string;
  backend: string;
  device: string;
  totalSteps: number;
}

/**
 * Claims a run for a worker: counts the attempt and records where it runs.
 * Returns undefined when the run is no longer wanted (cancelled or finished),
 * so the worker skips it.
 */
export async function startRun(
  db: Database,
  id: string,
  start: RunStart,
): Promise<Run | undefined> {
  const updated = await db.run.updateMany({
    where: { id, status: { in: ['queued', 'running'] } },
    data: {
      status: 'running',
      attempts: { increment: 1 },
      workerId: start.workerId,
      backend: start.backend,
      device: start.device,
      totalSteps: start.totalSteps,
      startedAt: new Date(),
      error: null,
      errorCode: null,
    },
  });
  if (updated.count === 0) return undefined;
  return getRun(db, id);
}

/** Records how far a running run has got; ignored once it has finished. */
export async function recordRunStep(db: Database, id: string, step: number): Promise<void> {
  await db.run.updateMany({ where: { id, status: 'running' }, data: { step } });
}

/** Ends a running run as succeeded at its final step. */
export async function completeRun(db: Database, id: string, step: number): Promise<void> {
  await db.run.updateMany({
    where: { id, status: 'running' },
    data: { status: 'succeeded', step, finishedAt: new Date() },
  });
}

/**
 * Ends a running run that its sweep's early stopping cut short, at the step
 * it stopped; its checkpoints stay.
 */
export async function stopRunEarly(db: Database, id: string, step: number): Promise<void> {
  await db.run.updateMany({
    where: { id, status: 'running' },
    data: { status: 'stopped_early', step, finishedAt: new Date() },
  });
}

/** Ends a run as failed, keeping the error for the user to read. */
export async function failRun(
  db: Database,
  id: string,
  failure: { message: string; code?: string },
): Promise<void> {
  await db.run.updateMany({
    where: { id, status: { in: ['queued', 'running'] } },
    data: {
      status: 'failed',
      error: failure.message,
      errorCode: failure.code ?? null,
      finishedAt: new Date(),
    },
  });
}

/** Returns a running run to the queue after its worker stopped on purpose. */
export async function requeueRun(db: Database, id: string, step: number): Promise<void> {
  await db.run.updateMany({
    where: { id, status: 'running' },
    data: { status: 'queued', step, workerId: null },
  });
}

/** Statuses from which a run may be tried again. */
export const RETRYABLE_STATUSES: readonly RunStatus[] = ['failed', 'cancelled'];

/**
 * Puts a failed or cancelled run back to queued, clearing its error and
 * end time; its attempts and checkpoints stay, so the worker resumes from
 * the last checkpoint. Any other status is a ConflictError naming it.
 */
export async function retryRun(db: Database, id: string): Promise<Run> {
  const updated = await db.run.updateMany({
    where: { id, status: { in: [...RETRYABLE_STATUSES] } },
    data: {
      status: 'queued',
      isHeld: false,
      workerId: null,
      error: null,
      errorCode: null,
      finishedAt: null,
    },
  });
  const run = await getRun(db, id);
  if (updated.count === 0) {
    throw new ConflictError(
      `run ${id} is ${run.status}; only failed or cancelled runs can be retried`,
    );
  }
  return run;
}
