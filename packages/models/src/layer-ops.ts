/**
 * Small building blocks the model families share: nonlinearities, pooling
 * with TensorFlow's 'same' padding, and fully connected layers.
 */
import * as tf from '@tensorflow/tfjs-core';

import type { Activation, PoolKind } from '@hourglass/specs';

/** ReLU or logistic sigmoid, elementwise. */
export function applyActivation<T extends tf.Tensor>(x: T, activation: Activation): T {
  return activation === 'relu' ? tf.relu(x) : tf.sigmoid(x);
}

/**
 * Non-overlapping pooling: windows of size x size with stride size, 'same'
 * padding: x [n, h, w, c] -> [n, ceil(h / size), ceil(w / size), c]. An
 * average over a window that hangs over the edge counts only the pixels
 * inside, as TensorFlow does.
 */
export function poolSame(
  x: tf.Tensor4D,
  kind: PoolKind,
  size: number,
): tf.Tensor4D {
  return kind === 'max'
    ? tf.maxPool(x, size, size, 'same')
    : tf.avgPool(x, size, size, 'same');
}

/** x [n, in] times kernel [in, out] plus bias [out]: [n, out]. */
export function fullyConnected(
  x: tf.Tensor2D,
  kernel: tf.Tensor2D,
  bias: tf.Tensor1D,
): tf.Tensor2D {
  return tf.add(tf.matMul(x, kernel), bias);
}

/**
 * A fully connected layer's output [n, u] as the NHWC map [n, 1, 1, u]
 * that ForwardResult.layers promises.
 */
export function asFeatureMap(x: tf.Tensor2D): tf.Tensor4D {
  const [n = 0, units = 0] = x.shape;
  return tf.reshape(x, [n, 1, 1, units]);
}

/** x [n, h, w, c] flattened to [n, h * w * c], row-major (HWC). */
export function flatten(x: tf.Tensor4D): tf.Tensor2D {
  const [n = 0, height = 0, width = 0, channels = 0] = x.shape;
  return tf.reshape(x, [n, height * width * channels]);
}
