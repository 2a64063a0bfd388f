import { z } from 'zod';

/** Evaluations a run asks for at each checkpoint. */
export const EvaluationKind = z.enum([
  'linear-probe',
  'task-generalization',
  'rsa',
  'neural-fit',
  'filters',
  'reconstructions',
]);
export type EvaluationKind = z.output<typeof EvaluationKind>;

/** Evaluations that read a neural stimulus set and cannot run without one. */
export const NEURAL_EVALUATIONS: readonly EvaluationKind[] = [
  'task-generalization',
  'neural-fit',
];

/**
 * A stimulus set with neural responses: the HvM HDF5 layout, or a folder
 * of images, meta.json and .npy responses (see the data package's README).
 * A relative path is resolved against the worker's working directory.
 */
export const NeuralDataSpec = z.object({
  format: z.enum(['hvm-hdf5', 'folder']),
  path: z.string().min(1),
});
export type NeuralDataSpec = z.output<typeof NeuralDataSpec>;

const imageCount = (fallback: number) =>
  z.number().int().positive().max(100_000).default(fallback);

/** How the linear probe reads and classifies each encoding layer. */
export const ProbeSettings = z.object({
  /** Training images the classifier learns from (the first of the training split). */
  trainImages: imageCount(5_000),
  /** Held-out images it is scored on (the first of the test split). */
  testImages: imageCount(1_000),
  epochs: z.number().int().positive().max(1_000).default(20),
  weightDecay: z.number().nonnegative().default(5e-4),
});

/** How responses are predicted from features. */
export const NeuralFitSettings = z.object({
  methods: z.array(z.enum(['ridge', 'pls'])).min(1).default(['ridge', 'pls']),
  folds: z.number().int().min(2).max(50).default(5),
  plsComponents: z.number().int().positive().max(1_000).default(25),
  /** Sites whose split-half reliability is below this are left out of the median. */
  reliabilityThreshold: z.number().min(0).max(1).default(0.7),
});

/** Settings shared by every evaluation of a run's checkpoints. */
export const EvaluationSettings = z.object({
  /** Needed by task generalization and neural fitting; RSA uses it when given. */
  neuralData: NeuralDataSpec.optional(),
  /** The encoding layers to read features from; all of the model's by default. */
  layers: z.array(z.string().min(1)).min(1).optional(),
  /** Each layer's activations are resized to about this many values. */
  featureDimensions: z.number().int().min(16).max(200_000).default(9_000),
  featureResize: z.enum(['bilinear', 'average']).default('bilinear'),
  probe: ProbeSettings.prefault({}),
  neuralFit: NeuralFitSettings.prefault({}),
  /** Test images of the model's own dataset in the category RDM when no neural data is given. */
  rsaImages: imageCount(500),
  /** Held-out images shown in a reconstruction grid. */
  reconstructionImages: z.number().int().min(1).max(64).default(16),
});
export type EvaluationSettings = z.output<typeof EvaluationSettings>;
