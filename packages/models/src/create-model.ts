/**
 * The one place that maps a run spec's model family to its builder, so the
 * training loop and the evaluations never name a family themselves.
 */
import type { RunSpec } from '@hourglass/specs';

import { computeAbBins } from './colorization/ab-bins.ts';
import {
  computeColorizationWeights,
  createUniformRebalancingWeights,
} from './colorization/class-rebalancing.ts';
import { createColorizationModel } from './colorization/colorization-model.ts';
import { createAlexNetClassifier } from './alexnet-classifier.ts';
import { createDeepAutoencoder } from './deep-autoencoder.ts';
import { createPooledAutoencoder } from './pooled-autoencoder.ts';
import { createShallowAutoencoder } from './shallow-autoencoder.ts';
import { createVariationalAutoencoder } from './variational-autoencoder.ts';
import type { VisionModel } from './vision-model.ts';

/** What a model needs beyond its spec, computed from the training data. */
export interface ModelContext {
  /** Colorization: class-rebalancing weights over the ab bins (Zhang et al. 2016). */
  rebalancingWeights?: Float32Array;
}

/**
 * Computes, once per run, what the spec's family needs from the training
 * images (HWC bytes): the colorization family's rebalancing weights from
 * the empirical ab distribution; nothing for the others.
 */
export function prepareModelContext(spec: RunSpec, trainImages: Uint8Array): ModelContext {
  if (spec.model.family !== 'colorization') return {};
  return { rebalancingWeights: computeColorizationWeights(spec.model, trainImages, 1 / 255) };
}

/**
 * Builds the model a run spec describes, with weights initialised from the
 * spec's seed: the same spec gives the same initial weights on every
 * backend. Families with fully connected layers are built for the spec's
 * imageSize.
 */
export function createModel(spec: RunSpec, context: ModelContext = {}): VisionModel {
  const { model, seed, imageSize } = spec;
  switch (model.family) {
    case 'shallow-ae':
    case 'sparse-shallow-ae':
      return createShallowAutoencoder(model, { seed });
    case 'pooled-ae':
    case 'sparse-pooled-ae':
      return createPooledAutoencoder(model, { seed });
    case 'deep-ae':
      return createDeepAutoencoder(model, { seed });
    case 'vae':
      return createVariationalAutoencoder(model, { seed, imageSize });
    case 'colorization':
      // Without weights from the training set the loss is unweighted: fine
      // for evaluating a checkpoint, wrong for training (see prepareModelContext).
      return createColorizationModel(model, {
        seed,
        rebalancingWeights:
          context.rebalancingWeights ??
          createUniformRebalancingWeights(computeAbBins(model.gridSize, model.binSet)),
      });
    case 'alexnet':
      return createAlexNetClassifier(model, { seed, imageSize });
    default:
      return assertNever(model);
  }
}

// Fails typechecking when a family is added to the spec but not here.
function assertNever(model: never): never {
  const { family } = model as { family: unknown };
  throw new TypeError(`unknown model family ${String(family)}`);
}
