/**
 * Seeds for the random draws of a training forward pass (dropout masks,
 * latent noise). The training loop passes one per step, derived from the
 * run's seed and the step, so a resumed run draws what an unbroken one
 * would; a caller that passes none gets the next seed of a stream owned
 * by the model instance.
 */
import { deriveSeed } from '@hourglass/common';

/** Returns `given` when it is set, else the next seed of the model's stream. */
export type NoiseSeedSource = (given?: number) => number;

/** A model instance's stream of fallback noise seeds, from its seed. */
export function createNoiseSeedSource(
  modelSeed: number,
  stream: string,
): NoiseSeedSource {
  const base = deriveSeed(modelSeed, stream);
  let draws = 0;
  return (given) => given ?? deriveSeed(base, `draw-${draws++}`);
}
