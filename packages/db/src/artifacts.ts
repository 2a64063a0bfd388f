import { NotFoundError } from '@hourglass/common';

import type { Database } from './database.ts';
import type { Artifact } from './generated/client.ts';

export type { Artifact } from './generated/client.ts';

/** A file in the artifact store, as the evaluation that wrote it knows it. */
export interface NewArtifact {
  kind: string;
  /** Path relative to the artifact store's root. */
  location: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
}

/**
 * Records the files one evaluation wrote for a run's checkpoint, replacing
 * the rows an earlier try of the same evaluation left for those kinds.
 */
export async function replaceArtifacts(
  db: Database,
  target: { runId: string; step: number },
  artifacts: readonly NewArtifact[],
): Promise<Artifact[]> {
  const { runId, step } = target;
  const kinds = [...new Set(artifacts.map((artifact) => artifact.kind))];
  const creates = artifacts.map((artifact) =>
    db.artifact.create({
      data: { runId, step, ...artifact, sizeBytes: BigInt(artifact.sizeBytes) },
    }),
  );
  const [, ...rows] = await db.$transaction([
    db.artifact.deleteMany({
      where: { runId, step, kind: { in: kinds } },
    }),
    ...creates,
  ]);
  return rows;
}

/** A run's artifacts, by step and kind, optionally of one kind or step. */
export async function listArtifacts(
  db: Database,
  runId: string,
  query: { kind?: string; step?: number } = {},
): Promise<Artifact[]> {
  return db.artifact.findMany({
    where: { runId, ...query },
    orderBy: [{ step: 'asc' }, { kind: 'asc' }, { createdAt: 'asc' }],
  });
}

/** Loads an artifact row or throws NotFoundError. */
export async function getArtifact(db: Database, id: string): Promise<Artifact> {
  const artifact = await db.artifact.findUnique({ where: { id } });
  if (!artifact) throw new NotFoundError('artifact', id);
  return artifact;
}
