/**
 * The last step of Zhang, Isola and Efros (2016, figure 2): the predicted
 * ab, made at a reduced resolution, is upsampled bilinearly to the
 * input's size, joined to the input's own lightness L, and converted from
 * Lab to sRGB (clipped to [0, 1]) for display.
 */
import * as tf from '@tensorflow/tfjs-core';

import { ShapeError } from '@hourglass/common';

import { convertLabImagesToSrgb } from './cielab-ops.ts';

/**
 * Upsamples ab [n, h', w', 2] bilinearly (half-pixel centres, as
 * TensorFlow resizes) to [n, h, w, 2]; the same tensor's copy when the
 * size already matches.
 */
export function upsampleAb(
  ab: tf.Tensor4D,
  size: readonly [number, number],
): tf.Tensor4D {
  const [, height, width] = ab.shape;
  if (height === size[0] && width === size[1]) return tf.clone(ab);
  return tf.image.resizeBilinear(ab, [size[0], size[1]], false, true);
}

/**
 * sRGB images [n, h, w, 3] in [0, 1] from lightness [n, h, w, 1] (L in
 * [0, 100]) and ab [n, h', w', 2] at any resolution.
 */
export function renderColorization(
  lightness: tf.Tensor4D,
  ab: tf.Tensor4D,
): tf.Tensor4D {
  const [n = 0, height = 0, width = 0, channels = 0] = lightness.shape;
  if (lightness.rank !== 4 || channels !== 1) {
    throw new ShapeError('renderColorization', '[n, h, w, 1]', lightness.shape);
  }
  if (ab.rank !== 4 || ab.shape[0] !== n || ab.shape[3] !== 2) {
    throw new ShapeError('renderColorization', `[${n}, h', w', 2]`, ab.shape);
  }

  return tf.tidy(() => {
    const fullAb = upsampleAb(ab, [height, width]);
    return convertLabImagesToSrgb(tf.concat([lightness, fullAb], 3));
  });
}
