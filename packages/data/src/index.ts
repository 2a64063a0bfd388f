/**
 * The data package: datasets in memory or streamed from image folders,
 * batch order and batches, the CIFAR-10 download, and neural recordings.
 */
export * from './batch-sampler.ts';
export * from './batch-source.ts';
export * from './channel-statistics.ts';
export * from './cifar10-dir.ts';
export * from './cifar10-download.ts';
export * from './cifar10-reader.ts';
export * from './gather-batch.ts';
export * from './generated-dataset.ts';
export * from './hvm-reader.ts';
export { IMAGE_EXTENSIONS, scanImageFolder, type ImageFolderIndex } from './image-folder-scan.ts';
export * from './image-folder-dataset.ts';
export { ImageFolderSource, type BadImageReport } from './image-folder-source.ts';
export * from './image-set.ts';
export * from './image-source.ts';
export * from './load-dataset.ts';
export * from './neural-dataset.ts';
export * from './neural-folder-reader.ts';
export * from './npy-reader.ts';
export * from './open-dataset.ts';
export * from './progress-bar.ts';
export * from './split-validation.ts';
export * from './streaming-dataset.ts';
