/**
 * Shared fixtures for this package's tests (not exported): a tiny run
 * spec, its generated dataset, a small image folder and scratch
 * directories.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createSilentLogger } from '@hourglass/common';
import { createGeneratedDataset, type Dataset } from '@hourglass/data';
import { gradientImage, writeImageFolder } from '@hourglass/data/testing';
import { RunSpec, type RunSpecInput } from '@hourglass/specs';

import type { TrainRunOptions } from './train-run.ts';

/**
 * A spec small enough to train in milliseconds: 16x16 images, a 4x4x8
 * code, batches of 8 from 64 images (8 batches per epoch).
 */
export function createTinySpec(overrides: Partial<RunSpecInput> = {}): RunSpec {
  return RunSpec.parse({
    model: {
      family: 'shallow-ae',
      channels: 8,
      kernelSize: 5,
      stride: 4,
      decoderKernelSize: 4,
    },
    dataset: { kind: 'generated', seed: 1, trainSize: 64, testSize: 8 },
    imageSize: 16,
    batchSize: 8,
    schedule: { unit: 'steps', steps: 12 },
    checkpointEverySteps: 100,
    metricsEverySteps: 4,
    seed: 3,
    ...overrides,
  });
}

/** The generated dataset the tiny spec names, at another size if asked. */
export function createTinyDataset(imageSize = 16): Dataset {
  return createGeneratedDataset({ seed: 1, trainSize: 64, testSize: 8, imageSize });
}

/** Classes of the tiny folder, and images in each. */
export const TINY_FOLDER_CLASSES = ['ant', 'bee', 'cat'];
export const TINY_FOLDER_IMAGES_PER_CLASS = 8;

/**
 * Writes a folder of 24 small images in 3 classes, half PNG and half JPEG,
 * of sizes around 20 pixels (so 16-pixel crops are resized and cropped),
 * into `root`. The image named by `badImage` ('<class>/<file>') is
 * overwritten with bytes that no decoder accepts. Batches of 8 make 3
 * per epoch.
 */
export async function writeTinyImageFolder(root: string, badImage?: string): Promise<void> {
  const images = TINY_FOLDER_CLASSES.flatMap((className, label) =>
    Array.from({ length: TINY_FOLDER_IMAGES_PER_CLASS }, (_, i) => {
      const fileName = `${i}.${i % 2 === 0 ? 'png' : 'jpg'}`;
      return gradientImage(className, fileName, 20 + (i % 3), 18 + label, label * 40 + i);
    }),
  );
  await writeImageFolder(root, images);
  if (badImage !== undefined) await writeFile(join(root, badImage), 'not an image at all');
}

/** trainRun options for the tiny spec, writing into `checkpointDir`. */
export function createRunOptions(
  checkpointDir: string,
  overrides: Partial<TrainRunOptions> = {},
): TrainRunOptions {
  return {
    runId: 'run-test',
    spec: createTinySpec(),
    dataset: createTinyDataset(),
    checkpointDir,
    logger: createSilentLogger(),
    ...overrides,
  };
}

/** A fresh scratch directory, and a function that removes it. */
export async function createScratchDir(): Promise<{
  path: string;
  remove: () => Promise<void>;
}> {
  const path = await mkdtemp(join(tmpdir(), 'hourglass-training-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
