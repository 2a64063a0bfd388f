import { getSweep, releaseSweepRuns } from '@hourglass/db';
import { enqueueTrainingRuns } from '@hourglass/queue';
import { toJobPriority } from '@hourglass/sweeps';

import type { WorkerServices } from './worker-services.ts';

/**
 * Fills the slots of a sweep after one of its runs left one: releases the
 * next held runs (under a lock on the sweep, so two workers finishing at
 * once do not both fill one slot) and queues them at the sweep's priority.
 * The waiting runs stay in Postgres until then, never inside a worker.
 * Called after every job of a sweep run, whatever its end: with no free
 * slot it releases nothing.
 */
export async function fillSweepSlots(services: WorkerServices, sweepId: string): Promise<void> {
  const { db, write } = services;

  const sweep = await write(() => getSweep(db, sweepId));
  const runIds = await write(() => releaseSweepRuns(db, sweepId));

  // The worker's Redis connection waits through an outage rather than
  // failing, so a released run is not left without its job.
  await enqueueTrainingRuns(services.trainingQueue, runIds, {
    priority: toJobPriority(sweep.priority),
  });
  services.logger.debug({ sweepId, queued: runIds.length }, 'sweep slots filled');
}
