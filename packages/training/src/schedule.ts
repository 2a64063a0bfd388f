/**
 * How a run's length and learning rate follow from its spec. Both depend
 * only on the step number, so a resumed run continues on the same curve.
 */
import { TrainingError } from '@hourglass/common';
import type { RunSpec } from '@hourglass/specs';

/**
 * The number of optimizer steps a run takes: `schedule.steps`, or
 * `epochs * floor(trainCount / batchSize)` (the batch sampler drops the
 * last partial batch of every epoch).
 */
export function computeTotalSteps(spec: RunSpec, trainCount: number): number {
  if (spec.schedule.unit === 'steps') return spec.schedule.steps;

  const batchesPerEpoch = Math.floor(trainCount / spec.batchSize);
  if (batchesPerEpoch === 0) {
    throw new TrainingError(
      `batch size ${spec.batchSize} is larger than the ${trainCount} training images`,
    );
  }
  return spec.schedule.epochs * batchesPerEpoch;
}

/**
 * The learning rate of the update after `step` completed steps (0-based),
 * out of `totalSteps`:
 * - constant: the optimizer's rate;
 * - cosine: a linear warmup over `warmupSteps` (rate * (step + 1) /
 *   warmupSteps), then half a cosine from the rate down to
 *   rate * minFactor at the last step (Loshchilov and Hutter 2017,
 *   without restarts);
 * - step: the rate times factor^floor(step / everySteps).
 */
export function computeLearningRate(
  spec: RunSpec,
  step: number,
  totalSteps: number,
): number {
  const baseRate = spec.optimizer.learningRate;
  const schedule = spec.learningRateSchedule;

  switch (schedule.kind) {
    case 'constant':
      return baseRate;
    case 'step':
      return baseRate * schedule.factor ** Math.floor(step / schedule.everySteps);
    case 'cosine': {
      const { warmupSteps, minFactor } = schedule;
      if (step < warmupSteps) return (baseRate * (step + 1)) / warmupSteps;

      const decaySteps = Math.max(totalSteps - 1 - warmupSteps, 1);
      const progress = Math.min((step - warmupSteps) / decaySteps, 1);
      const cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
      return baseRate * (minFactor + (1 - minFactor) * cosine);
    }
  }
}
