/**
 * Seeded batch order for training. Each epoch visits the images in its own
 * permutation, drawn from the run's seed and the epoch number alone, so a
 * sampler rebuilt from a checkpoint's position continues exactly where the
 * interrupted one would have gone.
 */
import {
  ValidationError,
  deriveSeed,
  permutation,
  type FieldIssue,
} from '@hourglass/common';

/**
 * Where a sampler stands: the next batch it yields is batch `batchInEpoch`
 * of epoch `epoch`. Plain JSON, saved in checkpoints.
 */
export interface BatchPosition {
  epoch: number;
  batchInEpoch: number;
}

/** What a sampler draws from; `position` defaults to the very start. */
export interface BatchSamplerOptions {
  /** Images in the split, indexed 0 .. count - 1. */
  count: number;
  batchSize: number;
  seed: number;
  position?: BatchPosition;
}

/**
 * Yields batches of image indices, epoch after epoch, without end. Each
 * epoch is permutation(count, deriveSeed(seed, 'epoch:' + epoch)) cut into
 * `batchesPerEpoch` batches of exactly `batchSize`. A batch never holds
 * images of two epochs: the last `count % batchSize` images of each
 * epoch's order are dropped; as every epoch has its own permutation, which
 * images miss out changes from epoch to epoch.
 */
export class BatchSampler {
  readonly count: number;
  readonly batchSize: number;
  readonly seed: number;
  /** Whole batches in one epoch: floor(count / batchSize). */
  readonly batchesPerEpoch: number;

  private epoch: number;
  private batchInEpoch: number;
  private order: Uint32Array | undefined;

  constructor(options: BatchSamplerOptions) {
    checkOptions(options);
    this.count = options.count;
    this.batchSize = options.batchSize;
    this.seed = options.seed;
    this.batchesPerEpoch = Math.floor(options.count / options.batchSize);
    checkPosition(options.position, this.batchesPerEpoch);
    this.epoch = options.position?.epoch ?? 0;
    this.batchInEpoch = options.position?.batchInEpoch ?? 0;
  }

  /** Where the next batch comes from; a copy, safe to save as JSON. */
  get position(): BatchPosition {
    return { epoch: this.epoch, batchInEpoch: this.batchInEpoch };
  }

  /** The indices of the next batch (a fresh array, `batchSize` long). */
  nextBatch(): Uint32Array {
    // Drawn once per epoch, at the first batch asked of it (which after a
    // resume may be in the middle of the epoch).
    if (this.order === undefined) {
      const epochSeed = deriveSeed(this.seed, `epoch:${this.epoch}`);
      this.order = permutation(this.count, epochSeed);
    }
    const start = this.batchInEpoch * this.batchSize;
    const batch = this.order.slice(start, start + this.batchSize);

    this.batchInEpoch += 1;
    if (this.batchInEpoch === this.batchesPerEpoch) {
      this.epoch += 1;
      this.batchInEpoch = 0;
      this.order = undefined;
    }
    return batch;
  }
}

/** Creates a BatchSampler; the same as `new BatchSampler(options)`. */
export function createBatchSampler(options: BatchSamplerOptions): BatchSampler {
  return new BatchSampler(options);
}

function checkOptions(options: BatchSamplerOptions): void {
  const issues: FieldIssue[] = [];
  for (const field of ['count', 'batchSize'] as const) {
    const value = options[field];
    if (!Number.isInteger(value) || value < 1) {
      issues.push({ path: field, message: `expected a positive integer, got ${value}` });
    }
  }
  if (!Number.isInteger(options.seed)) {
    issues.push({ path: 'seed', message: `expected an integer, got ${options.seed}` });
  }
  if (issues.length === 0 && options.batchSize > options.count) {
    issues.push({
      path: 'batchSize',
      message:
        `batch size ${options.batchSize} is larger than ` +
        `the ${options.count} images`,
    });
  }
  if (issues.length > 0) throw new ValidationError('batch sampler options', issues);
}

function checkPosition(
  position: BatchPosition | undefined,
  batchesPerEpoch: number,
): void {
  if (position === undefined) return;

  const issues: FieldIssue[] = [];
  if (!Number.isInteger(position.epoch) || position.epoch < 0) {
    issues.push({
      path: 'position.epoch',
      message: `expected an integer >= 0, got ${position.epoch}`,
    });
  }
  const batch = position.batchInEpoch;
  if (!Number.isInteger(batch) || batch < 0 || batch >= batchesPerEpoch) {
    issues.push({
      path: 'position.batchInEpoch',
      message: `expected an integer in 0..${batchesPerEpoch - 1}, got ${batch}`,
    });
  }
  if (issues.length > 0) throw new ValidationError('batch sampler position', issues);
}
