/**
 * The evaluations a user looks at: first-layer filters (with their Gabor
 * scores) and reconstructions of held-out images, written as PNG files
 * into the artifact store.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import * as tf from '@tensorflow/tfjs-core';

import {
  encodeTileGrid,
  renderFilterGrid,
  renderReconstructionGrid,
  scoreGaborKernels,
} from '@hourglass/evaluation';
import { isVariationalAutoencoder, type VisionModel } from '@hourglass/models';

import type { ArtifactFile, KindResult } from './evaluation-messages.ts';

/** Where one checkpoint's evaluation files go. */
export interface ArtifactTarget {
  artifactDir: string;
  runId: string;
  step: number;
}

/** The store-relative path of a checkpoint's PNG of one kind. */
export function artifactLocation(target: ArtifactTarget, kind: string): string {
  const step = String(target.step).padStart(7, '0');
  return join('runs', target.runId, 'evaluations', `step-${step}-${kind}.png`);
}

/** Writes a PNG atomically (temporary file, then rename) and describes it. */
export async function writeArtifact(
  target: ArtifactTarget,
  kind: string,
  png: Buffer,
): Promise<ArtifactFile> {
  const location = artifactLocation(target, kind);
  const path = join(target.artifactDir, location);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.partial`, png);
  await rename(`${path}.partial`, path);
  return {
    kind,
    location,
    mediaType: 'image/png',
    sizeBytes: png.length,
    sha256: createHash('sha256').update(png).digest('hex'),
  };
}

/** The first layer's kernels as a grid, and how Gabor-like each one is. */
export async function evaluateFilters(
  model: VisionModel,
  target: ArtifactTarget,
): Promise<KindResult> {
  const kernels = model.firstLayerKernels();
  try {
    const gabor = scoreGaborKernels(kernels);
    const grid = await writeArtifact(target, 'filters', renderFilterGrid(kernels));
    const [height, width, channels, count] = kernels.shape;
    return {
      kind: 'filters',
      rows: [
        {
          layer: model.encodingLayers[0] ?? '',
          score: gabor.median,
          details: {
            kernels: count,
            kernelShape: [height, width, channels],
            gaborScores: Array.from(gabor.scores),
          },
        },
      ],
      artifacts: [grid],
    };
  } finally {
    kernels.dispose();
  }
}

/**
 * Held-out images above what the model made of them, with the mean
 * squared error of the outputs. A VAE also shows samples from its prior;
 * colorization shows the grey input, its colours and the true colours.
 */
export async function evaluateReconstructions(
  model: VisionModel,
  images: tf.Tensor4D,
  target: ArtifactTarget & { seed: number },
): Promise<KindResult> {
  const isColorization = model.family === 'colorization';
  const { output, layers } = model.forward(images);
  tf.dispose(Object.values(layers).filter((layer) => layer !== output));
  const outputs = output as tf.Tensor4D;
  const grey = isColorization ? toGrey(images) : undefined;
  try {
    const meanSquaredError = tf.tidy(() =>
      tf.mean(tf.squaredDifference(outputs, images)).dataSync()[0]!,
    );
    const rows = grey
      ? { inputs: grey, outputs, extra: images }
      : { inputs: images, outputs };
    const artifacts = [
      await writeArtifact(target, 'reconstructions', renderReconstructionGrid(rows)),
    ];
    if (isVariationalAutoencoder(model)) {
      const samples = model.sampleFromPrior(images.shape[0], target.seed);
      try {
        artifacts.push(await writeArtifact(target, 'prior-samples', encodeSamples(samples)));
      } finally {
        samples.dispose();
      }
    }
    return {
      kind: 'reconstructions',
      rows: [{ score: meanSquaredError, details: { meanSquaredError, images: images.shape[0] } }],
      artifacts,
    };
  } finally {
    tf.dispose([outputs, ...(grey ? [grey] : [])]);
  }
}

// Rec. 601 luma, the grey a colorization model is given.
function toGrey(images: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const weights = tf.tensor1d([0.299, 0.587, 0.114]).reshape([1, 1, 1, 3]);
    return tf.sum(tf.mul(images, weights), 3, true) as tf.Tensor4D;
  });
}

// Prior samples have no input to stand beside: one grid of 8 columns.
function encodeSamples(samples: tf.Tensor4D): Buffer {
  const [count, height, width] = samples.shape;
  const pixels = samples.dataSync() as Float32Array;
  const length = height * width * 3;
  const tiles = Array.from({ length: count }, (_, i) => ({
    height,
    width,
    rgb: pixels.subarray(i * length, (i + 1) * length),
  }));
  return encodeTileGrid(tiles, { columns: 8, scale: 2 });
}
