/**
 * sRGB <-> CIELAB for image batches as TensorFlow.js ops, the same chain
 * as cielab.ts (sRGB transfer curve, sRGB primaries, D65 white, CIELAB
 * cube root with its linear toe) in float32. No gradients are needed
 * through these: the model converts its input and decodes its output
 * with them, but never trains through them.
 */
import * as tf from '@tensorflow/tfjs-core';

import { ShapeError } from '@hourglass/common';

import { D65_WHITE, SRGB_TO_XYZ, XYZ_TO_SRGB } from './cielab.ts';

const DELTA = 6 / 29;
const TOE_SLOPE = 1 / (3 * DELTA * DELTA);
const TOE_OFFSET = 4 / 29;

const LAB_SHAPE = '[n, h, w, 3]';

// Linear RGB row vectors times this give XYZ already divided by the white.
const RGB_TO_RELATIVE_XYZ = transpose(
  SRGB_TO_XYZ.map((row, i) => row.map((value) => value / D65_WHITE[i]!)),
);

// Relative XYZ row vectors (X/Xn, Y/Yn, Z/Zn) times this give linear RGB.
const RELATIVE_XYZ_TO_RGB = transpose(
  XYZ_TO_SRGB.map((row) => row.map((value, j) => value * D65_WHITE[j]!)),
);

// (fx, fy, fz) times this, plus (-16, 0, 0), is (L, a, b).
const COMPANDED_TO_LAB = [
  [0, 500, 0],
  [116, -500, 200],
  [0, 0, -200],
];

// (L + 16, a, b) times this is (fx, fy, fz).
const LAB_TO_COMPANDED = [
  [1 / 116, 1 / 116, 1 / 116],
  [1 / 500, 0, 0],
  [0, 0, -1 / 200],
];

function transpose(m: readonly (readonly number[])[]): number[][] {
  return m[0]!.map((_, j) => m.map((row) => row[j]!));
}

function assertColorBatch(where: string, x: tf.Tensor): void {
  if (x.rank !== 4 || x.shape[3] !== 3) {
    throw new ShapeError(where, LAB_SHAPE, x.shape);
  }
}

// [n, h, w, 3] times a 3x3 matrix, per pixel, as row vectors.
function mixChannels(x: tf.Tensor4D, matrix: number[][]): tf.Tensor4D {
  const pixels = tf.reshape(x, [-1, 3]) as tf.Tensor2D;
  const mixed = tf.matMul(pixels, tf.tensor2d(matrix, [3, 3]));
  return tf.reshape(mixed, x.shape) as tf.Tensor4D;
}

/**
 * sRGB images [n, h, w, 3], channels in [0, 1], to CIELAB images
 * [n, h, w, 3] holding (L, a, b) per pixel.
 */
export function convertSrgbImagesToLab(rgb: tf.Tensor4D): tf.Tensor4D {
  assertColorBatch('convertSrgbImagesToLab', rgb);

  return tf.tidy(() => {
    // The sRGB transfer curve, undone; the max keeps pow's base positive.
    const nonNegative = tf.maximum(rgb, 0);
    const linear = tf.where(
      tf.lessEqual(nonNegative, 0.04045),
      tf.div(nonNegative, 12.92),
      tf.pow(tf.div(tf.add(nonNegative, 0.055), 1.055), 2.4),
    );

    const relative = mixChannels(linear as tf.Tensor4D, RGB_TO_RELATIVE_XYZ);
    const companded = tf.where(
      tf.greater(relative, DELTA ** 3),
      tf.pow(tf.maximum(relative, DELTA ** 3), 1 / 3),
      tf.add(tf.mul(relative, TOE_SLOPE), TOE_OFFSET),
    );

    const lab = mixChannels(companded as tf.Tensor4D, COMPANDED_TO_LAB);
    return tf.add(lab, tf.tensor1d([-16, 0, 0]));
  });
}

/**
 * CIELAB images [n, h, w, 3] to sRGB images [n, h, w, 3], clipped to
 * [0, 1]: colours outside the sRGB gamut come back as the nearest
 * displayable value per channel.
 */
export function convertLabImagesToSrgb(lab: tf.Tensor4D): tf.Tensor4D {
  assertColorBatch('convertLabImagesToSrgb', lab);

  return tf.tidy(() => {
    const shifted = tf.add(lab, tf.tensor1d([16, 0, 0])) as tf.Tensor4D;
    const companded = mixChannels(shifted, LAB_TO_COMPANDED);
    const relative = tf.where(
      tf.greater(companded, DELTA),
      tf.pow(companded, 3),
      tf.div(tf.sub(companded, TOE_OFFSET), TOE_SLOPE),
    );

    // Clipping linear light before the curve equals clipping after it.
    const linear = tf.clipByValue(
      mixChannels(relative as tf.Tensor4D, RELATIVE_XYZ_TO_RGB),
      0,
      1,
    );
    const encoded = tf.where(
      tf.lessEqual(linear, 0.0031308),
      tf.mul(linear, 12.92),
      tf.sub(tf.mul(tf.pow(linear, 1 / 2.4), 1.055), 0.055),
    );
    // float32 rounding can leave the curve a hair outside [0, 1].
    return tf.clipByValue(encoded, 0, 1) as tf.Tensor4D;
  });
}
