/** Loads the dataset a run's spec names. */
import type { DatasetSpec } from '@hourglass/specs';

import { resolveCifar10Dir, type ResolveCifar10DirOptions } from './cifar10-dir.ts';
import { readCifar10 } from './cifar10-reader.ts';
import { createGeneratedDataset } from './generated-dataset.ts';
import type { Dataset } from './image-set.ts';

/** Settings that come from the run or the process rather than the spec. */
export interface LoadDatasetOptions extends ResolveCifar10DirOptions {
  /** Side of generated images (the run spec's `imageSize`); default 32. */
  imageSize?: number;
}

/**
 * Makes or reads the dataset `spec` describes: the generated one from its
 * seed and sizes, CIFAR-10 from the folder resolveCifar10Dir picks.
 */
export async function loadDataset(
  spec: DatasetSpec,
  options: LoadDatasetOptions = {},
): Promise<Dataset> {
  switch (spec.kind) {
    case 'generated':
      return createGeneratedDataset({
        seed: spec.seed,
        trainSize: spec.trainSize,
        testSize: spec.testSize,
        imageSize: options.imageSize,
      });
    case 'cifar10':
      return readCifar10(resolveCifar10Dir(spec.path, options));
  }
}
