/**
 * The one place that maps a run spec's model family to its builder, so the
 * training loop and the evaluations never name a family themselves.
 */
import type { RunSpec } from '@hourglass/specs';

import { createShallowAutoencoder } from './shallow-autoencoder.ts';
import type { VisionModel } from './vision-model.ts';

/**
 * Builds the model a run spec describes, with weights initialised from the
 * spec's seed: the same spec gives the same initial weights on every
 * backend.
 */
export function createModel(spec: RunSpec): VisionModel {
  const { model, seed } = spec;
  switch (model.family) {
    case 'shallow-ae':
      return createShallowAutoencoder(model, { seed });
    default:
      return assertNever(model.family);
  }
}

// Fails typechecking when a family is added to the spec but not here.
function assertNever(family: never): never {
  throw new TypeError(`unknown model family ${String(family)}`);
}
