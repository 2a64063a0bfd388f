/**
 * A dataset whose splits are ImageSources: the form every kind of dataset
 * takes for training, whether held in memory (generated, CIFAR-10) or
 * streamed from files (image folders).
 */
import type { ChannelStatistics } from './channel-statistics.ts';
import type { Dataset } from './image-set.ts';
import { createImageSetSource, type ImageSource } from './image-source.ts';

/** A named dataset with its class names and its splits as sources. */
export interface StreamingDataset {
  name: string;
  /** Indexed by label. */
  classNames: string[];
  train: ImageSource;
  validation?: ImageSource;
  test?: ImageSource;
  /** Per-channel statistics of `train`, where they were computed. */
  normalization?: ChannelStatistics;
}

/** An in-memory Dataset seen as a StreamingDataset (no copy is made). */
export function toStreamingDataset(dataset: Dataset): StreamingDataset {
  return {
    name: dataset.name,
    classNames: dataset.classNames,
    train: createImageSetSource(dataset.train),
    test: createImageSetSource(dataset.test),
    ...(dataset.validation && { validation: createImageSetSource(dataset.validation) }),
    ...(dataset.normalization && { normalization: dataset.normalization }),
  };
}
