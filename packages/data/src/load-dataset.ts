/** Loads the dataset a run's spec names, into memory. */
import { ValidationError } from '@hourglass/common';
import type { Cifar10DatasetSpec, DatasetSpec } from '@hourglass/specs';

import {
  resolveCifar10Dir,
  resolveCifar10DownloadDir,
  type ResolveCifar10DirOptions,
} from './cifar10-dir.ts';
import { downloadCifar10, type DownloadCifar10Options } from './cifar10-download.ts';
import { readCifar10 } from './cifar10-reader.ts';
import { computeChannelStatistics } from './channel-statistics.ts';
import { createGeneratedDataset } from './generated-dataset.ts';
import type { Dataset } from './image-set.ts';
import { splitValidation } from './split-validation.ts';

/** Settings that come from the run or the process rather than the spec. */
export interface LoadDatasetOptions extends ResolveCifar10DirOptions {
  /** Side of generated images (the run spec's `imageSize`); default 32. */
  imageSize?: number;
  /**
   * For a CIFAR-10 spec with `download: true`: another URL or checksum
   * (a mirror, a test server) and a progress callback.
   */
  download?: Omit<DownloadCifar10Options, 'cacheDir'>;
}

/**
 * Makes or reads the dataset `spec` describes, with its training split's
 * channel statistics: the generated one from its seed and sizes, CIFAR-10
 * from the folder resolveCifar10Dir picks (downloaded there first if the
 * spec asks), with `validationSize` training images moved to a validation
 * split. Image folders are streamed, not loaded: use openDataset.
 */
export async function loadDataset(
  spec: DatasetSpec,
  options: LoadDatasetOptions = {},
): Promise<Dataset> {
  switch (spec.kind) {
    case 'generated': {
      const dataset = createGeneratedDataset({
        seed: spec.seed,
        trainSize: spec.trainSize,
        testSize: spec.testSize,
        imageSize: options.imageSize,
      });
      return { ...dataset, normalization: computeChannelStatistics(dataset.train) };
    }
    case 'cifar10':
      return loadCifar10(spec, options);
    case 'image-folder':
      throw new ValidationError('dataset spec', [
        {
          path: 'dataset.kind',
          message:
            'image folders are streamed rather than loaded into memory; ' +
            'open them with openDataset',
        },
      ]);
  }
}

async function loadCifar10(
  spec: Cifar10DatasetSpec,
  options: LoadDatasetOptions,
): Promise<Dataset> {
  let dir: string;
  if (spec.download === true) {
    const cacheDir = resolveCifar10DownloadDir(spec.path, options);
    ({ dir } = await downloadCifar10({ ...options.download, cacheDir }));
  } else {
    dir = resolveCifar10Dir(spec.path, options);
  }
  const dataset = await readCifar10(dir);

  const validationSize = spec.validationSize ?? 0;
  if (validationSize === 0) {
    return { ...dataset, normalization: computeChannelStatistics(dataset.train) };
  }
  const { train, validation } = splitValidation(
    dataset.train,
    validationSize,
    spec.splitSeed ?? 0,
  );
  return { ...dataset, train, validation, normalization: computeChannelStatistics(train) };
}
