/** The data package: datasets as plain typed arrays, batch order, batches. */
export * from './batch-sampler.ts';
export * from './cifar10-dir.ts';
export * from './cifar10-reader.ts';
export * from './gather-batch.ts';
export * from './generated-dataset.ts';
export * from './image-set.ts';
export * from './load-dataset.ts';
