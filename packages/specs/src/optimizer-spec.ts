import { z } from 'zod';

const learningRate = z.number().positive().max(10);

/** Adam (Kingma and Ba 2015). */
export const AdamSpec = z.object({
  kind: z.literal('adam'),
  learningRate: learningRate.default(1e-3),
  beta1: z.number().min(0).lt(1).default(0.9),
  beta2: z.number().min(0).lt(1).default(0.999),
  epsilon: z.number().positive().default(1e-7),
});

/** Stochastic gradient descent with (optionally Nesterov) momentum. */
export const SgdSpec = z.object({
  kind: z.literal('sgd'),
  learningRate: learningRate.default(0.01),
  momentum: z.number().min(0).lt(1).default(0.9),
  useNesterov: z.boolean().default(false),
});

export const OptimizerSpec = z.discriminatedUnion('kind', [AdamSpec, SgdSpec]);
export type OptimizerSpec = z.output<typeof OptimizerSpec>;

/** How long a run trains: a number of optimizer steps or of passes over the data. */
export const ScheduleSpec = z.discriminatedUnion('unit', [
  z.object({ unit: z.literal('steps'), steps: z.number().int().positive() }),
  z.object({ unit: z.literal('epochs'), epochs: z.number().int().positive() }),
]);
export type ScheduleSpec = z.output<typeof ScheduleSpec>;

/** How the learning rate changes over the run, as a factor of the optimizer's rate. */
export const LearningRateScheduleSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant') }),
  z.object({
    kind: z.literal('cosine'),
    warmupSteps: z.number().int().nonnegative().default(0),
    minFactor: z.number().min(0).max(1).default(0),
  }),
  z.object({
    kind: z.literal('step'),
    everySteps: z.number().int().positive(),
    factor: z.number().positive().max(1).default(0.1),
  }),
]);
export type LearningRateScheduleSpec = z.output<typeof LearningRateScheduleSpec>;
