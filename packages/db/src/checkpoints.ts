import { NotFoundError } from '@hourglass/common';

import type { Database } from './database.ts';
import type { Checkpoint } from './generated/client.ts';

export type { Checkpoint } from './generated/client.ts';

/** What a worker knows about a checkpoint file it has written. */
export interface NewCheckpoint {
  runId: string;
  step: number;
  location: string;
  sizeBytes: number;
  sha256: string;
}

/**
 * Records a checkpoint. Saving the same step again (a resumed run redoing
 * work) replaces the row, since the file at that location was replaced too.
 */
export async function recordCheckpoint(
  db: Database,
  checkpoint: NewCheckpoint,
): Promise<Checkpoint> {
  const data = {
    location: checkpoint.location,
    sizeBytes: BigInt(checkpoint.sizeBytes),
    sha256: checkpoint.sha256,
  };
  return db.checkpoint.upsert({
    where: { runId_step: { runId: checkpoint.runId, step: checkpoint.step } },
    create: { runId: checkpoint.runId, step: checkpoint.step, ...data },
    update: data,
  });
}

/** A run's checkpoints, oldest first. */
export async function listCheckpoints(db: Database, runId: string): Promise<Checkpoint[]> {
  return db.checkpoint.findMany({ where: { runId }, orderBy: { step: 'asc' } });
}

/** The run's most recent checkpoint, if it has any. */
export async function findLatestCheckpoint(
  db: Database,
  runId: string,
): Promise<Checkpoint | undefined> {
  const latest = await db.checkpoint.findFirst({ where: { runId }, orderBy: { step: 'desc' } });
  return latest ?? undefined;
}

/** Loads a checkpoint row or throws NotFoundError. */
export async function getCheckpoint(db: Database, id: string): Promise<Checkpoint> {
  const checkpoint = await db.checkpoint.findUnique({ where: { id } });
  if (!checkpoint) throw new NotFoundError('checkpoint', id);
  return checkpoint;
}
