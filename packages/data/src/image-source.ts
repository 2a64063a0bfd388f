/**
 * One split of a dataset as something batches are read from, whether its
 * images sit in memory (an ImageSet) or are decoded from files on demand
 * (an image folder). The training loop sees only this and BatchSource.
 */
import { gatherBatch, type Batch } from './gather-batch.ts';
import type { ImageSet } from './image-set.ts';

/** A split that can be read a batch at a time, by image index. */
export interface ImageSource {
  /** Images in the split, indexed 0 .. count - 1. */
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /**
   * Batches a BatchSource should read ahead of the one in use: 0 for a
   * source that reads from memory, a few for one that decodes files.
   */
  readonly readAheadBatches: number;
  /**
   * The split's images when they are all held in memory (an ImageSet
   * wrapped by createImageSetSource); absent for a source that decodes
   * files. Lets a caller that needs every pixel at once (colorization's
   * class rebalancing) use them without reading batches.
   */
  readonly imageSet?: ImageSet;
  /**
   * The images at `indices`, scaled to [0, 1]. `augmentSeed` seeds any
   * random augmentation, so the same seed gives the same pixels; sources
   * that do not augment ignore it.
   */
  readBatch(indices: Uint32Array, augmentSeed: number): Promise<Batch>;
}

/** An in-memory split as an ImageSource; batches come from gatherBatch. */
export function createImageSetSource(set: ImageSet): ImageSource {
  return {
    count: set.count,
    height: set.height,
    width: set.width,
    channels: set.channels,
    readAheadBatches: 0,
    imageSet: set,
    readBatch: async (indices) => gatherBatch(set, indices),
  };
}

/** Whether `split` is an in-memory ImageSet rather than an ImageSource. */
export function isImageSet(split: ImageSet | ImageSource): split is ImageSet {
  return 'images' in split && split.images instanceof Uint8Array;
}

/** `split` as an ImageSource, wrapping an ImageSet if need be. */
export function toImageSource(split: ImageSet | ImageSource): ImageSource {
  return isImageSet(split) ? createImageSetSource(split) : split;
}
