/**
 * tf.tidy for the plain result objects our models return (a LossResult,
 * a Posterior): every tensor made inside is freed except those in the
 * result. tf.tidy already does this for nested objects; its type only
 * lacks a way to say so for interfaces without an index signature.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Runs `fn` in a tf.tidy scope and keeps the tensors of its result. */
export function tidyResult<T extends object>(fn: () => T): T {
  return tf.tidy(() => fn() as unknown as tf.TensorContainer) as unknown as T;
}
