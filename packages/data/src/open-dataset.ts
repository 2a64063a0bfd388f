/**
 * Opens the dataset a run's spec names for training, as a
 * StreamingDataset: in-memory kinds are loaded (loadDataset) and wrapped;
 * image folders are indexed and decoded batch by batch as training reads
 * them.
 */
import { resolve } from 'node:path';

import type { DatasetSpec } from '@hourglass/specs';

import { openImageFolder, type ImageFolderOptions } from './image-folder-dataset.ts';
import { loadDataset, type LoadDatasetOptions } from './load-dataset.ts';
import { toStreamingDataset, type StreamingDataset } from './streaming-dataset.ts';

/** loadDataset's options, plus the folder reader's process-side settings. */
export interface OpenDatasetOptions
  extends LoadDatasetOptions,
    Pick<ImageFolderOptions, 'reportBadImage' | 'decodeConcurrency' | 'readAheadBatches'> {}

/**
 * The dataset `spec` describes. For an image folder, `imageSize` is the
 * side of the images produced and defaults to 32, like loadDataset's.
 */
export async function openDataset(
  spec: DatasetSpec,
  options: OpenDatasetOptions = {},
): Promise<StreamingDataset> {
  if (spec.kind !== 'image-folder') {
    return toStreamingDataset(await loadDataset(spec, options));
  }

  const cwd = options.cwd ?? process.cwd();
  return openImageFolder({
    path: resolve(cwd, spec.path),
    testPath: spec.testPath === undefined ? undefined : resolve(cwd, spec.testPath),
    imageSize: options.imageSize ?? 32,
    validationFraction: spec.validationFraction,
    splitSeed: spec.splitSeed,
    augment: spec.augment,
    resizeRatio: spec.resizeRatio,
    onBadImage: spec.onBadImage,
    reportBadImage: options.reportBadImage,
    decodeConcurrency: options.decodeConcurrency,
    readAheadBatches: options.readAheadBatches,
  });
}
