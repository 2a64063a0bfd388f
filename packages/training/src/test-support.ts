/**
 * Shared fixtures for this package's tests (not exported): a tiny run
 * spec, its generated dataset and scratch directories.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createSilentLogger } from '@hourglass/common';
import { createGeneratedDataset, type Dataset } from '@hourglass/data';
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
