/**
 * Gradient clipping by global norm (Pascanu, Mikolov and Bengio 2013): when
 * the L2 norm of all gradients taken together exceeds the limit, every
 * gradient is scaled by limit / norm, keeping the update's direction.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The global L2 norm of a set of gradients, sqrt(sum of all squares). */
export function computeGlobalNorm(gradients: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    const squares = gradients.map((gradient) => tf.sum(tf.square(gradient)));
    return tf.sqrt(tf.addN(squares)) as tf.Scalar;
  });
}

/**
 * Scales `gradients` so that their global norm is at most `maxNorm`;
 * returns new tensors (the same values when the norm is within the limit).
 */
export function clipByGlobalNorm(
  gradients: readonly tf.Tensor[],
  maxNorm: number,
): tf.Tensor[] {
  return tf.tidy(() => {
    const norm = computeGlobalNorm(gradients);
    const scale = tf.div(maxNorm, tf.maximum(norm, maxNorm));
    return gradients.map((gradient) => tf.mul(gradient, scale));
  });
}
