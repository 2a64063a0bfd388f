import type { Database } from './database.ts';
import type { Worker } from './generated/client.ts';

export type { Worker } from './generated/client.ts';

/** What a worker says about itself when it starts. */
export interface WorkerRegistration {
  id: string;
  host: string;
  pid: number;
  backend: string;
  device: string;
  queues: string[];
}

/** Records a worker as online; a restarted worker with the same id starts afresh. */
export async function registerWorker(db: Database, worker: WorkerRegistration): Promise<void> {
  const now = new Date();
  const fields = { ...worker, status: 'online' as const, currentRunId: null, heartbeatAt: now };
  await db.worker.upsert({
    where: { id: worker.id },
    create: { ...fields, startedAt: now },
    update: { ...fields, startedAt: now },
  });
}

/** What changes with a heartbeat: the time, and what the worker is doing. */
export interface WorkerHeartbeat {
  currentRunId: string | null;
  backend?: string;
  device?: string;
}

/** Keeps a worker alive and says which run it is training, if any. */
export async function recordHeartbeat(
  db: Database,
  id: string,
  heartbeat: WorkerHeartbeat,
): Promise<void> {
  await db.worker.updateMany({
    where: { id },
    data: { ...heartbeat, status: 'online', heartbeatAt: new Date() },
  });
}

/** Marks a worker that exited cleanly. */
export async function markWorkerStopped(db: Database, id: string): Promise<void> {
  await db.worker.updateMany({
    where: { id },
    data: { status: 'stopped', currentRunId: null, heartbeatAt: new Date() },
  });
}

/**
 * Workers seen within `sinceMs`, newest first. One whose heartbeat is older
 * than `lostAfterMs` but that never said it stopped is reported as lost.
 */
export async function listWorkers(
  db: Database,
  options: { lostAfterMs: number; sinceMs: number },
): Promise<Worker[]> {
  const now = Date.now();
  const workers = await db.worker.findMany({
    where: { heartbeatAt: { gte: new Date(now - options.sinceMs) } },
    orderBy: { heartbeatAt: 'desc' },
  });
  return workers.map((worker) =>
    worker.status === 'online' && now - worker.heartbeatAt.getTime() > options.lostAfterMs
      ? { ...worker, status: 'lost' }
      : worker,
  );
}
