/**
 * Carves a validation split out of a training split. Which images go is
 * drawn from a seed alone, so every run with the same seed validates on
 * the same images whatever its own training seed.
 */
import { ValidationError, deriveSeed, permutation } from '@hourglass/common';

import type { ImageSet } from './image-set.ts';

/** The two parts of a split training set. */
export interface ValidationSplit {
  train: ImageSet;
  validation: ImageSet;
}

/**
 * Moves `validationSize` images of `set`, chosen by `seed`, into a
 * validation set. Both parts keep the images' original order; the input
 * is not changed.
 */
export function splitValidation(
  set: ImageSet,
  validationSize: number,
  seed: number,
): ValidationSplit {
  if (
    !Number.isInteger(validationSize) ||
    validationSize < 0 ||
    validationSize >= set.count
  ) {
    throw new ValidationError('validation split', [
      {
        path: 'validationSize',
        message:
          `expected an integer in 0..${set.count - 1} ` +
          `(the training set has ${set.count} images), got ${validationSize}`,
      },
    ]);
  }

  const isHeldOut = new Uint8Array(set.count);
  const order = permutation(set.count, deriveSeed(seed, 'validation'));
  for (let i = 0; i < validationSize; i += 1) isHeldOut[order[i]!] = 1;

  const validationIndices = new Uint32Array(validationSize);
  const trainIndices = new Uint32Array(set.count - validationSize);
  let v = 0;
  let t = 0;
  for (let index = 0; index < set.count; index += 1) {
    if (isHeldOut[index] === 1) validationIndices[v++] = index;
    else trainIndices[t++] = index;
  }

  return {
    train: selectImages(set, trainIndices),
    validation: selectImages(set, validationIndices),
  };
}

/** A new ImageSet holding copies of the images at `indices`, in order. */
function selectImages(set: ImageSet, indices: Uint32Array): ImageSet {
  const imageBytes = set.height * set.width * set.channels;
  const images = new Uint8Array(indices.length * imageBytes);
  const labels = new Uint8Array(indices.length);

  indices.forEach((index, i) => {
    const from = index * imageBytes;
    images.set(set.images.subarray(from, from + imageBytes), i * imageBytes);
    labels[i] = set.labels[index]!;
  });

  return {
    images,
    labels,
    count: indices.length,
    height: set.height,
    width: set.width,
    channels: set.channels,
  };
}
