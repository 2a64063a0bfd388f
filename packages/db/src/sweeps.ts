import { randomUUID } from 'node:crypto';

import { NotFoundError } from '@hourglass/common';
import type { RunSpec } from '@hourglass/specs';

import type { Database } from './database.ts';
import type { Prisma, Run, RunStatus, Sweep } from './generated/client.ts';

export type { Sweep } from './generated/client.ts';

type Transaction = Prisma.TransactionClient;

/** A sweep to store with all its runs. */
export interface NewSweep {
  name?: string;
  /** The whole sweep spec as parsed, stored as JSON. */
  spec: object;
  baseSpec: object;
  space: object;
  /** At most this many runs queued or training at once; null: no limit. */
  maxConcurrent: number | null;
  priority: number;
  /** The expanded runs, in the order they are to be released. */
  runs: readonly { index: number; spec: RunSpec }[];
}

/** A stored sweep and its runs' ids, in release order. */
export interface CreatedSweep {
  sweep: Sweep;
  runIds: string[];
  /** The runs to queue now; the others wait in Postgres for a slot. */
  releasedRunIds: string[];
}

function asJson(value: object): Prisma.InputJsonValue {
  return value as Prisma.InputJsonValue;
}

/**
 * Stores a sweep and every one of its runs in one transaction, so a sweep
 * is never seen half made. The first maxConcurrent runs are released; the
 * rest are held until runs of the sweep finish.
 */
export async function createSweep(db: Database, sweep: NewSweep): Promise<CreatedSweep> {
  const sweepId = randomUUID();
  const runs = sweep.runs.map((run, position) => ({
    id: randomUUID(),
    sweepId,
    sweepIndex: run.index,
    isHeld: sweep.maxConcurrent !== null && position >= sweep.maxConcurrent,
    name: run.spec.name ?? null,
    family: run.spec.model.family,
    spec: asJson(run.spec),
  }));

  const [created] = await db.$transaction([
    db.sweep.create({
      data: {
        id: sweepId,
        name: sweep.name ?? null,
        spec: asJson(sweep.spec),
        baseSpec: asJson(sweep.baseSpec),
        space: asJson(sweep.space),
        maxConcurrent: sweep.maxConcurrent,
        priority: sweep.priority,
      },
    }),
    db.run.createMany({ data: runs }),
  ]);

  return {
    sweep: created,
    runIds: runs.map((run) => run.id),
    releasedRunIds: runs.filter((run) => !run.isHeld).map((run) => run.id),
  };
}

/** Loads a sweep or throws NotFoundError. */
export async function getSweep(db: Database, id: string): Promise<Sweep> {
  const sweep = await db.sweep.findUnique({ where: { id } });
  if (!sweep) throw new NotFoundError('sweep', id);
  return sweep;
}

/** One page of sweeps, newest first, with the total. */
export async function listSweeps(
  db: Database,
  page: { limit: number; offset: number },
): Promise<{ sweeps: Sweep[]; total: number }> {
  const [sweeps, total] = await db.$transaction([
    db.sweep.findMany({
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: page.limit,
      skip: page.offset,
    }),
    db.sweep.count(),
  ]);
  return { sweeps, total };
}

/** A sweep's runs in release order. */
export async function listSweepRuns(db: Database, sweepId: string): Promise<Run[]> {
  return db.run.findMany({ where: { sweepId }, orderBy: [{ sweepIndex: 'asc' }, { id: 'asc' }] });
}

/** How many of a sweep's runs have each status, and how many queued ones are held. */
export type SweepRunTally = Record<RunStatus, number> & { held: number };

function emptyTally(): SweepRunTally {
  return {
    queued: 0,
    running: 0,
    succeeded: 0,
    failed: 0,
    cancelled: 0,
    stopped_early: 0,
    held: 0,
  };
}

/** Counts the runs of each sweep by status; a sweep without runs gets zeros. */
export async function tallySweepRuns(
  db: Database,
  sweepIds: readonly string[],
): Promise<Map<string, SweepRunTally>> {
  const groups = await db.run.groupBy({
    by: ['sweepId', 'status', 'isHeld'],
    where: { sweepId: { in: [...sweepIds] } },
    _count: { _all: true },
  });
  const tallies = new Map(sweepIds.map((id) => [id, emptyTally()]));
  for (const group of groups) {
    const tally = tallies.get(group.sweepId!);
    if (!tally) continue;
    tally[group.status] += group._count._all;
    if (group.isHeld && group.status === 'queued') tally.held += group._count._all;
  }
  return tallies;
}

interface LockedSweep {
  maxConcurrent: number | null;
  cancelledAt: Date | null;
}

/**
 * Locks a sweep's row for the rest of the transaction, so that two workers
 * finishing runs of one sweep at once release its slots one after the
 * other instead of both filling the same free slot.
 */
async function lockSweep(tx: Transaction, sweepId: string): Promise<LockedSweep | undefined> {
  const [row] = await tx.$queryRaw<LockedSweep[]>`
    SELECT "maxConcurrent", "cancelledAt" FROM "Sweep" WHERE id = ${sweepId}::uuid FOR UPDATE`;
  return row;
}

/**
 * Releases held runs of a sweep into its free slots, oldest index first,
 * and returns every released run that is still queued: the caller adds
 * them to the queue. Adding a run whose job exists does nothing, so
 * returning the earlier ones too mends a release whose enqueue was lost (a
 * worker that died between the two). A cancelled sweep releases nothing.
 */
export async function releaseSweepRuns(db: Database, sweepId: string): Promise<string[]> {
  return db.$transaction(async (tx) => {
    const sweep = await lockSweep(tx, sweepId);
    if (!sweep || sweep.cancelledAt) return [];

    const open = { sweepId, status: { in: ['queued', 'running'] as RunStatus[] } };
    const active = await tx.run.count({ where: { ...open, isHeld: false } });
    const free = sweep.maxConcurrent === null ? undefined : sweep.maxConcurrent - active;
    if (free === undefined || free > 0) {
      const next = await tx.run.findMany({
        where: { sweepId, status: 'queued', isHeld: true },
        orderBy: { sweepIndex: 'asc' },
        ...(free === undefined ? {} : { take: free }),
        select: { id: true },
      });
      await tx.run.updateMany({
        where: { id: { in: next.map((run) => run.id) } },
        data: { isHeld: false },
      });
    }

    const queued = await tx.run.findMany({
      where: { sweepId, status: 'queued', isHeld: false },
      orderBy: { sweepIndex: 'asc' },
      select: { id: true },
    });
    return queued.map((run) => run.id);
  });
}

/** What cancelling a sweep changed. */
export interface CancelledSweep {
  sweep: Sweep;
  /** The runs that were queued or running, now cancelled, as they were before. */
  cancelledRuns: Run[];
}

/**
 * Cancels a sweep: no run of it is released again, and its queued and
 * running runs are marked cancelled; finished runs are kept. Cancelling a
 * cancelled sweep changes nothing. The caller removes the queued runs' jobs
 * and tells workers to stop the running ones.
 */
export async function cancelSweep(db: Database, id: string): Promise<CancelledSweep> {
  return db.$transaction(async (tx) => {
    if (!(await lockSweep(tx, id))) throw new NotFoundError('sweep', id);

    // A second cancel keeps the time of the first.
    await tx.sweep.updateMany({
      where: { id, cancelledAt: null },
      data: { cancelledAt: new Date() },
    });
    const sweep = await tx.sweep.findUniqueOrThrow({ where: { id } });
    const open = { sweepId: id, status: { in: ['queued', 'running'] as RunStatus[] } };
    const cancelledRuns = await tx.run.findMany({ where: open });
    await tx.run.updateMany({
      where: { ...open, id: { in: cancelledRuns.map((run) => run.id) } },
      data: { status: 'cancelled', finishedAt: new Date() },
    });
    return { sweep, cancelledRuns };
  });
}

/**
 * Ends a sweep whose runs could not be queued (Redis was down): its queued
 * runs are marked failed with the reason, and nothing is released later,
 * so no run says "queued" falsely.
 */
export async function abandonSweep(
  db: Database,
  id: string,
  failure: { message: string },
): Promise<void> {
  await db.$transaction([
    db.sweep.update({ where: { id }, data: { cancelledAt: new Date() } }),
    db.run.updateMany({
      where: { sweepId: id, status: 'queued' },
      data: { status: 'failed', error: failure.message, finishedAt: new Date() },
    }),
  ]);
}
