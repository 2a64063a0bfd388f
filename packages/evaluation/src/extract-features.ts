/**
 * Frozen features of a model's encoding layers, one matrix per layer, as
 * the evaluations read them.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import { ShapeError, ValidationError } from '@hourglass/common';
import type { VisionModel } from '@hourglass/models';

import { resizeActivation } from './resize-features.ts';
import type { ResizeOptions } from './resize-features.ts';

/** Options of `extractFeatures`. */
export interface FeatureExtractionOptions extends ResizeOptions {
  /** Layers to read; the model's encoding layers by default. */
  layers?: readonly string[];
  /** Images per forward pass; 64 by default. */
  batchSize?: number;
}

/**
 * Runs the model (in evaluation mode) over images [n, h, w, 3] in batches
 * and returns, per layer, the resized and flattened activations [n, d]
 * (see `resizeActivation`). The caller disposes the returned tensors.
 */
export function extractFeatures(
  model: VisionModel,
  images: Tensor4D,
  options: FeatureExtractionOptions = {},
): Record<string, Tensor2D> {
  if (images.rank !== 4 || images.shape[3] !== 3) {
    throw new ShapeError('extractFeatures', '[n, h, w, 3]', images.shape);
  }
  const layers = options.layers ?? model.encodingLayers;
  if (layers.length === 0) {
    throw new ValidationError('feature extraction', [
      { path: 'layers', message: 'expected at least one layer' },
    ]);
  }
  const [n, height, width] = images.shape;
  const batchSize = options.batchSize ?? 64;

  const batches: Record<string, Tensor2D[]> = {};
  for (const layer of layers) batches[layer] = [];
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const resized = tf.tidy(() => {
        const batch = images.slice([start, 0, 0, 0], [size, height, width, 3]);
        const { layers: activations } = model.forward(batch);
        return layers.map((layer) =>
          resizeActivation(readLayer(activations, layer), options),
        );
      });
      resized.forEach((features, i) => batches[layers[i]!]!.push(features));
    }
    const features: Record<string, Tensor2D> = {};
    for (const layer of layers) {
      const parts = batches[layer]!;
      features[layer] =
        parts.length === 1 ? parts[0]!.clone() : tf.concat(parts, 0);
    }
    return features;
  } finally {
    tf.dispose(Object.values(batches).flat());
  }
}

function readLayer(
  activations: Record<string, tf.Tensor>,
  layer: string,
): Tensor4D {
  const activation = activations[layer];
  if (activation === undefined) {
    throw new ValidationError('feature extraction', [
      {
        path: 'layers',
        message: `the model has no layer '${layer}'; it has ` +
          Object.keys(activations).join(', '),
      },
    ]);
  }
  if (activation.rank !== 4) {
    throw new ShapeError(
      `extractFeatures (${layer})`,
      '[n, h, w, c]',
      activation.shape,
    );
  }
  return activation as Tensor4D;
}
