/** Where a sweep stands as a whole, from its runs' statuses. */
export type SweepStatus = 'queued' | 'running' | 'finished' | 'cancelled';

/** How many runs of a sweep have each status. */
export interface SweepRunCounts {
  queued: number;
  running: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  stopped_early: number;
}

/** The number of a sweep's runs that have not finished. */
export function countUnfinished(counts: SweepRunCounts): number {
  return counts.queued + counts.running;
}

/**
 * A sweep is finished when none of its runs is queued or running, and
 * cancelled when a user cancelled it (its finished runs are kept); until
 * then it is running once any run has started.
 */
export function describeSweepStatus(counts: SweepRunCounts, isCancelled: boolean): SweepStatus {
  if (countUnfinished(counts) === 0) return isCancelled ? 'cancelled' : 'finished';
  if (isCancelled) return 'cancelled';
  const hasStarted = counts.running + counts.succeeded + counts.failed + counts.stopped_early > 0;
  return hasStarted ? 'running' : 'queued';
}
