/**
 * The data side of a training run, read through ImageSources so that an
 * image folder far larger than memory trains like CIFAR-10: the dataset
 * in its streamed form, the training pixels colorization's class
 * rebalancing counts, and the held-out batches scored at checkpoints.
 */
import { deriveSeed, permutation } from '@hourglass/common';
import { isImageSet, toStreamingDataset } from '@hourglass/data';
import type { Batch, Dataset, ImageSource, StreamingDataset } from '@hourglass/data';

/** At most this many images of a streamed split are sampled for rebalancing. */
export const REBALANCING_SAMPLE_IMAGES = 2_048;

/** At most this many pixels are sampled likewise (8 Mi: 24 MiB of bytes). */
export const REBALANCING_SAMPLE_PIXELS = 2 ** 23;

// Images read per readBatch call while sampling.
const SAMPLE_CHUNK_IMAGES = 256;

/** `dataset` as a StreamingDataset; an in-memory Dataset is wrapped, not copied. */
export function toRunDataset(dataset: Dataset | StreamingDataset): StreamingDataset {
  return isInMemory(dataset) ? toStreamingDataset(dataset) : dataset;
}

/**
 * The training pixels the model's context is computed from (HWC bytes,
 * image after image). An in-memory split gives all its images, as they
 * are. A streamed split gives a seeded sample of at most
 * REBALANCING_SAMPLE_IMAGES images and REBALANCING_SAMPLE_PIXELS pixels,
 * read (and augmented) as training would read them: the ab distribution
 * of a few thousand images is close to the whole set's once smoothed,
 * while counting every pixel of a large folder would take minutes.
 */
export async function readTrainingSample(source: ImageSource, seed: number): Promise<Uint8Array> {
  if (source.imageSet !== undefined) return source.imageSet.images;

  const imagePixels = source.height * source.width;
  const byPixels = Math.max(1, Math.floor(REBALANCING_SAMPLE_PIXELS / imagePixels));
  const count = Math.min(source.count, REBALANCING_SAMPLE_IMAGES, byPixels);
  const chosen = permutation(source.count, deriveSeed(seed, 'rebalancing-sample'));
  const imageLength = imagePixels * source.channels;
  const bytes = new Uint8Array(count * imageLength);

  for (let start = 0; start < count; start += SAMPLE_CHUNK_IMAGES) {
    const indices = chosen.slice(start, Math.min(count, start + SAMPLE_CHUNK_IMAGES));
    const augmentSeed = deriveSeed(seed, `rebalancing-sample:${start}`);
    const batch = await source.readBatch(indices, augmentSeed);
    const offset = start * imageLength;
    for (let i = 0; i < batch.pixels.length; i += 1) {
      bytes[offset + i] = Math.round(batch.pixels[i]! * 255);
    }
  }
  return bytes;
}

/** One batch of held-out images and how many it holds. */
export interface HeldOutBatch {
  batch: Batch;
  size: number;
}

/**
 * The first `count` images of `source` in batches of `batchSize`, in
 * order. The next batch is read while the caller scores the current one,
 * so a folder's decoding overlaps the model.
 */
export async function* readHeldOutBatches(
  source: ImageSource,
  count: number,
  batchSize: number,
): AsyncGenerator<HeldOutBatch> {
  const read = (start: number): Promise<HeldOutBatch> => {
    const size = Math.min(batchSize, count - start);
    const indices = Uint32Array.from({ length: size }, (_, i) => start + i);
    const pending = source.readBatch(indices, 0).then((batch) => ({ batch, size }));
    // A batch read ahead of a caller that stops early is never awaited;
    // its failure must not count as an unhandled rejection.
    pending.catch(() => undefined);
    return pending;
  };

  let next = count > 0 ? read(0) : undefined;
  for (let start = 0; next !== undefined; start += batchSize) {
    const current = next;
    next = start + batchSize < count ? read(start + batchSize) : undefined;
    yield await current;
  }
}

function isInMemory(dataset: Dataset | StreamingDataset): dataset is Dataset {
  return isImageSet(dataset.train);
}
