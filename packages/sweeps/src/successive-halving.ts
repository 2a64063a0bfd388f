/**
 * The decision of asynchronous successive halving (ASHA; Li, Jamieson et
 * al., "A System for Massively Parallel Hyperparameter Tuning", 2020), in
 * the form that stops runs rather than pausing them: when a run reaches a
 * rung it is compared with the runs of its sweep that reached the same
 * rung before it, and goes on only if it is among the best 1/eta of them.
 * No run waits for others, so a sweep never stalls on a slow run.
 */

/** Whether smaller or larger metric values are better. */
export type MetricMode = 'min' | 'max';

/** Where the rungs are: minSteps, minSteps * eta, minSteps * eta^2, ... */
export interface RungSchedule {
  minSteps: number;
  reductionFactor: number;
}

/**
 * The rungs of a run of `totalSteps` steps: every minSteps * eta^k below
 * totalSteps. A rung at the very end would stop nothing, so none is there.
 */
export function listRungs(schedule: RungSchedule, totalSteps: number): number[] {
  const rungs: number[] = [];
  for (let rung = schedule.minSteps; rung < totalSteps; rung *= schedule.reductionFactor) {
    rungs.push(rung);
  }
  return rungs;
}

/** The rungs a run passed in going from `fromStep` (exclusive) to `toStep`. */
export function findCrossedRungs(
  rungs: readonly number[],
  fromStep: number,
  toStep: number,
): number[] {
  return rungs.filter((rung) => rung > fromStep && rung <= toStep);
}

/** The mean of the last `window` values of a series in step order. */
export function summarizeAtRung(values: readonly number[], window: number): number {
  const recent = values.slice(-window);
  if (recent.length === 0) return Number.NaN;
  return recent.reduce((sum, value) => sum + value, 0) / recent.length;
}

/** What ASHA compares at one rung. */
export interface RungContest {
  /** The deciding run's metric at the rung. */
  value: number;
  /** The metric at the rung of the sweep's other runs that reached it. */
  rivals: readonly number[];
  reductionFactor: number;
  mode: MetricMode;
}

/** ASHA's answer for one run at one rung, with the numbers behind it. */
export interface RungDecision {
  isPromoted: boolean;
  /** 1 for the best; ties share the better rank. */
  rank: number;
  /** The runs at the rung, this one included. */
  contenders: number;
  /** How many of them go on: floor(contenders / eta), at least 1. */
  promotable: number;
}

function isBetter(candidate: number, than: number, mode: MetricMode): boolean {
  if (!Number.isFinite(candidate)) return false;
  if (!Number.isFinite(than)) return true;
  return mode === 'min' ? candidate < than : candidate > than;
}

/**
 * Decides whether a run goes on past a rung: it does when its rank among
 * the runs at the rung is within floor(n / eta). The first runs to reach a
 * rung, fewer than eta, go on only if they are the best so far (the rule
 * needs somebody to promote). A value that is not finite never goes on.
 */
export function decideAtRung(contest: RungContest): RungDecision {
  const { value, rivals, reductionFactor, mode } = contest;
  const contenders = rivals.length + 1;
  const promotable = Math.max(1, Math.floor(contenders / reductionFactor));
  const rank = Number.isFinite(value)
    ? 1 + rivals.filter((rival) => isBetter(rival, value, mode)).length
    : contenders;
  return { isPromoted: Number.isFinite(value) && rank <= promotable, rank, contenders, promotable };
}
