/**
 * Spatial resizing of a layer's activations so that every encoding layer
 * gives a feature vector of comparable length: Zhang, Isola and Efros
 * 2016 (section 3.2) resize each layer to about 9,000 dimensions before
 * their linear classifiers.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import { ShapeError, ValidationError } from '@hourglass/common';

import { multiplyMatrices } from './mat-mul.ts';

/** The feature length aimed at, as in the colorization paper. */
export const DEFAULT_FEATURE_DIMENSIONS = 9000;

/** How activations are brought to the smaller grid. */
export type ResizeMethod = 'bilinear' | 'average';

/** Options of `resizeActivation`. */
export interface ResizeOptions {
  /** The length to aim at; 9,000 by default. */
  targetDimensions?: number;
  /** Bilinear interpolation (the paper's) or area averaging. */
  method?: ResizeMethod;
}

/**
 * The spatial size [h', w'] that brings an h x w x c activation close to
 * `targetDimensions` values, keeping the aspect ratio. Layers already at
 * or below the target keep their size: enlarging would add no
 * information.
 */
export function planFeatureGrid(
  height: number,
  width: number,
  channels: number,
  targetDimensions = DEFAULT_FEATURE_DIMENSIONS,
): [number, number] {
  if (!(targetDimensions >= 1)) {
    throw new ValidationError('feature extraction', [
      {
        path: 'targetDimensions',
        message: `expected a number >= 1, got ${targetDimensions}`,
      },
    ]);
  }
  if (height * width * channels <= targetDimensions) return [height, width];
  const factor = Math.sqrt(targetDimensions / (height * width * channels));
  return [
    Math.min(height, Math.max(1, Math.round(height * factor))),
    Math.min(width, Math.max(1, Math.round(width * factor))),
  ];
}

/**
 * Resizes an activation [n, h, w, c] to the grid of `planFeatureGrid` and
 * flattens it to [n, h' w' c] (NHWC order). 'bilinear' samples with half
 * pixel centres (like PyTorch's align_corners=False); 'average' averages
 * each output cell's area of the input, exactly, also when h is not a
 * multiple of h'.
 */
export function resizeActivation(
  activation: Tensor4D,
  options: ResizeOptions = {},
): Tensor2D {
  if (activation.rank !== 4) {
    throw new ShapeError('resizeActivation', '[n, h, w, c]', activation.shape);
  }
  const [n, height, width, channels] = activation.shape;
  const [rows, columns] = planFeatureGrid(
    height,
    width,
    channels,
    options.targetDimensions,
  );

  return tf.tidy(() => {
    let resized: Tensor4D = activation;
    if (rows !== height || columns !== width) {
      resized = options.method === 'average'
        ? averageAreas(activation, rows, columns)
        : tf.image.resizeBilinear(activation, [rows, columns], false, true);
    }
    return tf.reshape(resized, [n, rows * columns * channels]) as Tensor2D;
  });
}

/**
 * Adaptive average pooling: output cell i averages input rows
 * floor(i h / h') to ceil((i + 1) h / h') - 1, and likewise for columns.
 * Done as two products with averaging matrices, one per axis.
 */
function averageAreas(x: Tensor4D, rows: number, columns: number): Tensor4D {
  const [n, height, width, channels] = x.shape;
  // Rows first: [h, n w c] -> [h', n w c].
  const byRow = tf.reshape(tf.transpose(x, [1, 0, 2, 3]), [height, -1]);
  const pooledRows = multiplyMatrices(
    averagingMatrix(rows, height),
    byRow as Tensor2D,
  );
  const rowsFirst = tf.reshape(pooledRows, [rows, n, width, channels]);
  // Then columns: [w, n h' c] -> [w', n h' c].
  const byColumn = tf.reshape(tf.transpose(rowsFirst, [2, 1, 0, 3]), [width, -1]);
  const pooled = multiplyMatrices(
    averagingMatrix(columns, width),
    byColumn as Tensor2D,
  );
  const shaped = tf.reshape(pooled, [columns, n, rows, channels]);
  return tf.transpose(shaped, [1, 2, 0, 3]) as Tensor4D;
}

/** [outputs, inputs]: row i averages the inputs that cell i covers. */
function averagingMatrix(outputs: number, inputs: number): Tensor2D {
  const values = new Float32Array(outputs * inputs);
  for (let i = 0; i < outputs; i += 1) {
    const start = Math.floor((i * inputs) / outputs);
    const end = Math.ceil(((i + 1) * inputs) / outputs);
    for (let j = start; j < end; j += 1) {
      values[i * inputs + j] = 1 / (end - start);
    }
  }
  return tf.tensor2d(values, [outputs, inputs]);
}
