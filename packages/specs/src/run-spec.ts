import { z } from 'zod';

import { DatasetSpec } from './dataset-spec.ts';
import { EvaluationKind, EvaluationSettings, NEURAL_EVALUATIONS } from './evaluation-spec.ts';
import { ModelSpec, checkModelSpec } from './model-spec.ts';
import { LearningRateScheduleSpec, OptimizerSpec, ScheduleSpec } from './optimizer-spec.ts';

const RunSpecFields = z.object({
  name: z.string().min(1).max(200).optional(),
  model: ModelSpec,
  dataset: DatasetSpec.default({ kind: 'generated', seed: 0, trainSize: 2_000, testSize: 500 }),
  imageSize: z.number().int().min(8).max(1024).default(32),
  optimizer: OptimizerSpec.default({
    kind: 'adam',
    learningRate: 1e-3,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-7,
  }),
  learningRateSchedule: LearningRateScheduleSpec.default({ kind: 'constant' }),
  /** Clip gradients to this global L2 norm; absent means no clipping. */
  gradientClipNorm: z.number().positive().optional(),
  batchSize: z.number().int().positive().max(4096).default(64),
  schedule: ScheduleSpec.default({ unit: 'steps', steps: 1_000 }),
  checkpointEverySteps: z.number().int().positive().default(500),
  metricsEverySteps: z.number().int().positive().default(10),
  evaluations: z.array(EvaluationKind).default([]),
  evaluation: EvaluationSettings.prefault({}),
  seed: z.number().int().nonnegative().max(2 ** 32 - 1).default(0),
});

/**
 * Everything that defines a training run. The API stores the parsed value
 * (defaults filled in), so a stored spec says exactly what was trained.
 */
export const RunSpec = RunSpecFields.superRefine((spec, context) => {
  if (spec.dataset.kind === 'cifar10' && spec.imageSize !== 32) {
    context.addIssue({
      code: 'custom',
      path: ['imageSize'],
      message: `CIFAR-10 images are 32x32; got imageSize ${spec.imageSize}`,
    });
  }
  const needsNeuralData = spec.evaluations.filter((kind) => NEURAL_EVALUATIONS.includes(kind));
  if (needsNeuralData.length > 0 && spec.evaluation.neuralData === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['evaluation', 'neuralData'],
      message: `${needsNeuralData.join(' and ')} need a neural stimulus set`,
    });
  }
  if (spec.model.family === 'alexnet' && spec.evaluations.includes('reconstructions')) {
    context.addIssue({
      code: 'custom',
      path: ['evaluations'],
      message: 'alexnet is a classifier and makes no reconstructions',
    });
  }
  if (new Set(spec.evaluations).size !== spec.evaluations.length) {
    context.addIssue({
      code: 'custom',
      path: ['evaluations'],
      message: 'lists an evaluation more than once',
    });
  }
  // Shapes the model cannot take at this image size, named by their field.
  for (const issue of checkModelSpec(spec.model, spec.imageSize)) {
    context.addIssue({
      code: 'custom',
      path: ['model', ...issue.path],
      message: issue.message,
    });
  }
});

/** A run spec as stored: every default filled in. */
export type RunSpec = z.output<typeof RunSpec>;
/** A run spec as a user may write it: defaulted fields may be left out. */
export type RunSpecInput = z.input<typeof RunSpec>;
