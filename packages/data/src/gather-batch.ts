/**
 * Turns a batch of image indices into the floats a model trains on. The
 * training package wraps the result in a tensor; this package stays free
 * of tfjs.
 */
import { ValidationError } from '@hourglass/common';

import type { ImageSet } from './image-set.ts';

/** A batch ready for a model: NHWC pixels in [0, 1] and their labels. */
export interface Batch {
  /** n * h * w * c floats, image after image, HWC, each byte / 255. */
  pixels: Float32Array;
  labels: Int32Array;
  shape: [n: number, height: number, width: number, channels: number];
}

/** Copies the images at `indices` out of `set`, scaled to [0, 1]. */
export function gatherBatch(set: ImageSet, indices: ArrayLike<number>): Batch {
  const n = indices.length;
  const imageLength = set.height * set.width * set.channels;
  const pixels = new Float32Array(n * imageLength);
  const labels = new Int32Array(n);

  for (let i = 0; i < n; i += 1) {
    const index = indices[i]!;
    if (!Number.isInteger(index) || index < 0 || index >= set.count) {
      throw new ValidationError('batch indices', [
        {
          path: `[${i}]`,
          message: `expected an index in 0..${set.count - 1}, got ${index}`,
        },
      ]);
    }

    labels[i] = set.labels[index]!;
    const from = index * imageLength;
    const to = i * imageLength;
    for (let j = 0; j < imageLength; j += 1) {
      pixels[to + j] = set.images[from + j]! / 255;
    }
  }

  return { pixels, labels, shape: [n, set.height, set.width, set.channels] };
}
