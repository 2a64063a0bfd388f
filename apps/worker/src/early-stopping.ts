import { NotFoundError, toError, type Logger } from '@hourglass/common';
import { getSweep, readRungValues, type Sweep } from '@hourglass/db';
import {
  decideAtRung,
  findCrossedRungs,
  listRungs,
  SweepSpec,
  type EarlyStoppingSpec,
  type RungDecision,
} from '@hourglass/sweeps';

import type { WorkerServices } from './worker-services.ts';

/**
 * The early stopping of a run's sweep, or undefined when the run is in no
 * sweep (or its sweep is gone) or its sweep stops nothing early. A stored
 * sweep spec that no longer parses turns early stopping off for the run
 * rather than failing it.
 */
export async function loadEarlyStopping(
  services: WorkerServices,
  sweepId: string | null,
  logger: Logger,
): Promise<EarlyStoppingSpec | undefined> {
  if (sweepId === null) return undefined;
  let sweep: Sweep;
  try {
    sweep = await services.write(() => getSweep(services.db, sweepId));
  } catch (error) {
    // A sweep deleted while its run was queued leaves the run to train alone.
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
  const parsed = SweepSpec.safeParse(sweep.spec);
  if (!parsed.success) {
    const err = toError(parsed.error);
    logger.warn({ err, sweepId }, 'sweep spec unreadable; no early stopping');
    return undefined;
  }
  return parsed.data.earlyStopping;
}

/** Why a run stops early: the rung and ASHA's numbers there. */
export interface EarlyStop extends RungDecision {
  rung: number;
  value: number;
}

/** What a run's rung checks need to know. */
export interface RungCheck {
  services: WorkerServices;
  runId: string;
  sweepId: string;
  stopping: EarlyStoppingSpec;
  totalSteps: number;
  logger: Logger;
}

/**
 * Asks successive halving about every rung the run crossed between two
 * metric writes (`fromStep` exclusive, `toStep` inclusive), comparing it
 * with the sweep's runs that reached each rung before it. Returns the first
 * rung where the run is not promoted, or undefined to go on.
 */
export async function checkRungs(
  check: RungCheck,
  fromStep: number,
  toStep: number,
): Promise<EarlyStop | undefined> {
  const { services, runId, sweepId, stopping, logger } = check;
  const rungs = findCrossedRungs(listRungs(stopping, check.totalSteps), fromStep, toStep);

  for (const rung of rungs) {
    const values = await services.write(() =>
      readRungValues(services.db, {
        sweepId,
        metric: stopping.metric,
        step: rung,
        window: stopping.window,
      }),
    );
    const own = values.find((entry) => entry.runId === runId);
    if (!own) {
      // The metric is not logged by this run: nothing to judge it by.
      logger.warn({ rung, metric: stopping.metric }, 'early-stopping metric missing at rung');
      continue;
    }
    const decision = decideAtRung({
      value: own.value,
      rivals: values.filter((entry) => entry.runId !== runId).map((entry) => entry.value),
      reductionFactor: stopping.reductionFactor,
      mode: stopping.mode,
    });
    logger.info({ rung, value: own.value, ...decision }, 'rung reached');
    if (!decision.isPromoted) return { rung, value: own.value, ...decision };
  }
  return undefined;
}
