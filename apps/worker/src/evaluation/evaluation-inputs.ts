/**
 * The images and recordings a checkpoint is evaluated on: labelled
 * subsets of the run's own dataset (probe, reconstructions, category
 * RSA) and the neural stimulus set its spec names, as tensors at the
 * model's input size.
 */
import * as tf from '@tensorflow/tfjs-core';

import { DataFormatError, permutation } from '@hourglass/common';
import {
  openDataset,
  readHvmHdf5,
  readNeuralFolder,
  type ImageSource,
  type NeuralDataset,
  type StreamingDataset,
} from '@hourglass/data';
import type { NeuralDataSpec, RunSpec } from '@hourglass/specs';

/** Images [n, s, s, 3] in [0, 1] with their class labels. */
export interface LabelledImages {
  images: tf.Tensor4D;
  labels: Int32Array;
}

/** The run's dataset, opened for reading without augmentation. */
export async function openEvaluationDataset(spec: RunSpec): Promise<StreamingDataset> {
  const dataset =
    spec.dataset.kind === 'image-folder' ? { ...spec.dataset, augment: false } : spec.dataset;
  return openDataset(dataset, { imageSize: spec.imageSize });
}

/**
 * At most `limit` images of a split, drawn by a seeded permutation so a
 * subset covers every class, read in batches of 256.
 */
export async function readLabelledImages(
  source: ImageSource,
  limit: number,
  seed: number,
): Promise<LabelledImages> {
  const count = Math.min(limit, source.count);
  const order = permutation(source.count, seed).subarray(0, count);
  const chunks: tf.Tensor4D[] = [];
  const labels = new Int32Array(count);
  try {
    for (let start = 0; start < count; start += 256) {
      const indices = Uint32Array.from(order.subarray(start, start + 256));
      const batch = await source.readBatch(indices, 0);
      chunks.push(tf.tensor4d(batch.pixels, batch.shape));
      labels.set(batch.labels, start);
    }
    const images = chunks.length === 1 ? chunks[0]!.clone() : tf.concat4d(chunks, 0);
    return { images, labels };
  } finally {
    tf.dispose(chunks);
  }
}

/** The held-out split: test if the dataset has one, else validation. */
export function heldOutSource(dataset: StreamingDataset): ImageSource {
  const source = dataset.test ?? dataset.validation;
  if (source === undefined) {
    throw new DataFormatError(dataset.name, 'has no test or validation split to evaluate on');
  }
  return source;
}

/** A stimulus set as the model sees it, and its responses per area. */
export interface NeuralStimuli {
  dataset: NeuralDataset;
  /** The stimuli at the model's input size, RGB in [0, 1]: [n, s, s, 3]. */
  images: tf.Tensor4D;
}

/** Reads the stimulus set a spec names (HvM HDF5 or a neural folder). */
export async function readNeuralStimuli(
  spec: NeuralDataSpec,
  imageSize: number,
): Promise<NeuralStimuli> {
  const dataset =
    spec.format === 'hvm-hdf5' ? await readHvmHdf5(spec.path) : await readNeuralFolder(spec.path);
  return { dataset, images: resizeStimuli(dataset, imageSize) };
}

// Stimuli come at their own size and often in grey (HvM: 256 x 256 x 1);
// models take s x s RGB. Chunks keep the float copy of a large set small.
function resizeStimuli(dataset: NeuralDataset, imageSize: number): tf.Tensor4D {
  const { count, height, width, channels } = dataset;
  const imageLength = height * width * channels;
  const chunks: tf.Tensor4D[] = [];
  try {
    for (let start = 0; start < count; start += 128) {
      const size = Math.min(128, count - start);
      const bytes = dataset.images.subarray(start * imageLength, (start + size) * imageLength);
      chunks.push(
        tf.tidy(() => {
          const shape: [number, number, number, number] = [size, height, width, channels];
          const pixels = tf.div(tf.tensor4d(bytes, shape, 'float32'), 255);
          const resized = tf.image.resizeBilinear(
            pixels as tf.Tensor4D,
            [imageSize, imageSize],
            false,
            true,
          );
          return channels === 3 ? resized : tf.tile(resized, [1, 1, 1, 3 / channels]);
        }),
      );
    }
    return chunks.length === 1 ? chunks[0]!.clone() : tf.concat4d(chunks, 0);
  } finally {
    tf.dispose(chunks);
  }
}

/** One area's recordings in the layouts the evaluations take. */
export interface AreaTrials {
  area: string;
  /** Mean over repetitions, [images, sites]. */
  mean: tf.Tensor2D;
  /** [repetitions, images, sites], the first R repetitions of every image. */
  trials: tf.Tensor3D;
}

/**
 * An area's responses as [repetitions, images, sites] trials. Images may
 * have been shown a different number of times (NaN past an image's own
 * count); the first R repetitions of every image are kept, R being the
 * smallest count, so every split half averages real trials.
 */
export function readAreaTrials(dataset: NeuralDataset, area: string): AreaTrials {
  const responses = dataset.areas[area]!;
  const { siteCount, maxRepetitions } = responses;
  const images = dataset.count;
  if (responses.trials === undefined) {
    throw new DataFormatError(
      dataset.name,
      `area ${area} has only mean responses; RSA ceilings and neural fitting ` +
        'need single trials',
    );
  }
  const kept = Math.min(
    ...(responses.repetitions ?? new Uint16Array([maxRepetitions])),
  );
  if (kept < 2) {
    throw new DataFormatError(
      dataset.name,
      `area ${area}: some image has ${kept} repetition(s); split halves need at least 2`,
    );
  }

  const trials = new Float32Array(kept * images * siteCount);
  for (let image = 0; image < images; image += 1) {
    for (let site = 0; site < siteCount; site += 1) {
      const from = (image * siteCount + site) * maxRepetitions;
      for (let repetition = 0; repetition < kept; repetition += 1) {
        trials[(repetition * images + image) * siteCount + site] =
          responses.trials[from + repetition]!;
      }
    }
  }
  const mean = tf.tensor2d(responses.mean, [images, siteCount]);
  return { area, mean, trials: tf.tensor3d(trials, [kept, images, siteCount]) };
}
