/** The highest priority a sweep can have. */
export const MAX_SWEEP_PRIORITY = 100;

/**
 * BullMQ's job priority for a sweep's runs. BullMQ runs lower numbers first
 * (1 is the highest) and jobs without a priority before all prioritized
 * ones, so a single run submitted on its own goes ahead of every sweep;
 * among sweeps, priority 100 maps to 1 and priority 1 to 100.
 */
export function toJobPriority(sweepPriority: number): number {
  return MAX_SWEEP_PRIORITY + 1 - sweepPriority;
}
