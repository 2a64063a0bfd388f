/**
 * The stream of training batches: BatchSampler's seeded order, read from
 * any ImageSource, with a fixed number of batches read ahead so that file
 * decoding overlaps training while memory stays bounded (at most
 * 1 + readAheadBatches batches exist at once, however large the split).
 * Its position is the sampler's, saved in checkpoints as before: a resumed
 * run reads exactly the batches the interrupted one would have.
 */
import { ValidationError, deriveSeed } from '@hourglass/common';

import { BatchSampler, type BatchPosition } from './batch-sampler.ts';
import type { Batch } from './gather-batch.ts';
import type { ImageSet } from './image-set.ts';
import { toImageSource, type ImageSource } from './image-source.ts';

/** What a BatchSource reads, in what order, and from where on. */
export interface BatchSourceOptions {
  /** The split; an ImageSet is wrapped with createImageSetSource. */
  source: ImageSource | ImageSet;
  batchSize: number;
  /** Seeds the order (as BatchSampler) and each batch's augmentation. */
  seed: number;
  /** Where to start; the very beginning if absent. */
  position?: BatchPosition;
  /** Batches read ahead; the source's readAheadBatches if absent. */
  readAheadBatches?: number;
}

interface PendingBatch {
  /** The position after this batch: what `position` becomes once it is taken. */
  after: BatchPosition;
  batch: Promise<Batch>;
}

/** Yields batches in the sampler's order; see the file comment. */
export class BatchSource {
  readonly count: number;
  readonly batchSize: number;
  /** Whole batches in one epoch: floor(count / batchSize). */
  readonly batchesPerEpoch: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly readAheadBatches: number;

  private readonly source: ImageSource;
  private readonly sampler: BatchSampler;
  private readonly seed: number;
  private readonly pending: PendingBatch[] = [];
  private current: BatchPosition;
  private isClosed = false;

  constructor(options: BatchSourceOptions) {
    this.source = toImageSource(options.source);
    this.sampler = new BatchSampler({
      count: this.source.count,
      batchSize: options.batchSize,
      seed: options.seed,
      position: options.position,
    });
    this.readAheadBatches = options.readAheadBatches ?? this.source.readAheadBatches;
    checkReadAhead(this.readAheadBatches);

    this.count = this.source.count;
    this.batchSize = options.batchSize;
    this.batchesPerEpoch = this.sampler.batchesPerEpoch;
    this.height = this.source.height;
    this.width = this.source.width;
    this.channels = this.source.channels;
    this.seed = options.seed;
    this.current = this.sampler.position;

    // Reading starts now, so the first batches decode while the model
    // is being built.
    this.fill(this.readAheadBatches);
  }

  /** Where the next batch comes from; a copy, safe to save as JSON. */
  get position(): BatchPosition {
    return { ...this.current };
  }

  /**
   * The next batch. Rejects with the source's error (for an image folder
   * set to fail on bad images, a DataFormatError naming the file).
   */
  nextBatch(): Promise<Batch> {
    if (this.isClosed) {
      return Promise.reject(new Error('BatchSource.nextBatch called after close'));
    }
    this.fill(1);
    const next = this.pending.shift()!;
    this.current = next.after;
    this.fill(this.readAheadBatches);
    return next.batch;
  }

  /** Stops reading ahead and waits for reads under way to settle. */
  async close(): Promise<void> {
    this.isClosed = true;
    const reads = this.pending.splice(0).map((pending) => pending.batch);
    await Promise.allSettled(reads);
  }

  private fill(target: number): void {
    while (this.pending.length < target) this.pending.push(this.readNext());
  }

  private readNext(): PendingBatch {
    const { epoch, batchInEpoch } = this.sampler.position;
    const indices = this.sampler.nextBatch();
    const augmentSeed = deriveSeed(this.seed, `augment:${epoch}:${batchInEpoch}`);
    const batch = Promise.resolve().then(() => this.source.readBatch(indices, augmentSeed));
    // A batch read ahead may fail before anyone awaits it; the failure
    // belongs to the nextBatch call that reaches it, so it must not
    // count as unhandled (which would end the process) in the meantime.
    batch.catch(() => undefined);
    return { after: this.sampler.position, batch };
  }
}

/** Creates a BatchSource; the same as `new BatchSource(options)`. */
export function createBatchSource(options: BatchSourceOptions): BatchSource {
  return new BatchSource(options);
}

function checkReadAhead(readAheadBatches: number): void {
  if (!Number.isInteger(readAheadBatches) || readAheadBatches < 0) {
    throw new ValidationError('batch source options', [
      {
        path: 'readAheadBatches',
        message: `expected an integer >= 0, got ${readAheadBatches}`,
      },
    ]);
  }
}
