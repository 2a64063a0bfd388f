/**
 * The check every model runs where images enter it, so a wrongly shaped
 * batch fails with the model's name instead of deep inside a conv kernel.
 */
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';

import { ShapeError } from '@hourglass/common';

/** The shape every model takes: a batch of RGB images, NHWC. */
export const IMAGE_BATCH_SHAPE = '[n, h, w, 3]';

/**
 * Asserts that `x` is an RGB image batch [n, h, w, 3] with n, h, w >= 1,
 * throwing ShapeError('<where>', '[n, h, w, 3]', x.shape) otherwise.
 */
export function assertImageBatch(
  where: string,
  x: Tensor,
): asserts x is Tensor4D {
  const [n = 0, height = 0, width = 0, channels = 0] = x.shape;
  const isImageBatch =
    x.rank === 4 && n >= 1 && height >= 1 && width >= 1 && channels === 3;
  if (!isImageBatch) throw new ShapeError(where, IMAGE_BATCH_SHAPE, x.shape);
}

/**
 * Asserts that `x` is an RGB batch of `size` x `size` images, for models
 * whose fully connected layers fix the input size; throws
 * ShapeError('<where>', '[n, size, size, 3]', x.shape) otherwise.
 */
export function assertSizedImageBatch(
  where: string,
  x: Tensor,
  size: number,
): asserts x is Tensor4D {
  assertImageBatch(where, x);
  const [, height, width] = x.shape;
  if (height !== size || width !== size) {
    throw new ShapeError(where, `[n, ${size}, ${size}, 3]`, x.shape);
  }
}
