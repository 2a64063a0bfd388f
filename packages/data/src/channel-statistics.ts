/**
 * Per-channel mean and standard deviation of a split's pixels, for models
 * that normalize their input. Counts of each byte value per channel are
 * kept rather than running float sums, so the result is exact whatever the
 * order or number of images, and a streamed split can be added batch by
 * batch.
 */
import { ValidationError } from '@hourglass/common';

import type { Batch } from './gather-batch.ts';
import type { ImageSet } from './image-set.ts';

/**
 * Mean and (population) standard deviation per channel, on the [0, 1]
 * scale that gatherBatch produces: normalize a pixel as
 * (value - mean[c]) / std[c].
 */
export interface ChannelStatistics {
  mean: number[];
  std: number[];
  /** Pixels counted per channel (images x height x width). */
  pixelCount: number;
}

/** Adds up byte values per channel; read the result with `statistics()`. */
export class ChannelHistogram {
  readonly channels: number;
  private readonly counts: Float64Array;

  constructor(channels: number) {
    if (!Number.isInteger(channels) || channels < 1) {
      throw new ValidationError('channel histogram', [
        { path: 'channels', message: `expected a positive integer, got ${channels}` },
      ]);
    }
    this.channels = channels;
    this.counts = new Float64Array(channels * 256);
  }

  /** Counts interleaved pixels (channel values adjacent, as in HWC). */
  addBytes(pixels: Uint8Array): void {
    const { channels } = this;
    // Integer counts per call (a call holds under 2^32 bytes), added to
    // the float totals at the end: integer increments are the fast path,
    // and a streamed split may pass 2^32 pixels in all.
    const counts = new Uint32Array(channels * 256);
    if (channels === 3) {
      // One pass for the usual RGB, rather than one pass per channel.
      for (let i = 0; i + 2 < pixels.length; i += 3) {
        counts[pixels[i]!]! += 1;
        counts[256 + pixels[i + 1]!]! += 1;
        counts[512 + pixels[i + 2]!]! += 1;
      }
    } else {
      for (let c = 0; c < channels; c += 1) {
        const offset = c * 256;
        for (let i = c; i < pixels.length; i += channels) counts[offset + pixels[i]!]! += 1;
      }
    }
    for (let k = 0; k < counts.length; k += 1) this.counts[k]! += counts[k]!;
  }

  /**
   * Counts the pixels of a batch (floats in [0, 1], as an ImageSource
   * gives them), rounded back to bytes; for streamed splits.
   */
  addBatch(batch: Batch): void {
    const bytes = new Uint8Array(batch.pixels.length);
    for (let i = 0; i < bytes.length; i += 1) bytes[i] = Math.round(batch.pixels[i]! * 255);
    this.addBytes(bytes);
  }

  /** Mean and standard deviation of everything added so far. */
  statistics(): ChannelStatistics {
    const mean: number[] = [];
    const std: number[] = [];
    let pixelCount = 0;
    for (let c = 0; c < this.channels; c += 1) {
      let count = 0;
      let sum = 0;
      let sumOfSquares = 0;
      for (let value = 0; value < 256; value += 1) {
        const n = this.counts[c * 256 + value]!;
        count += n;
        sum += n * value;
        sumOfSquares += n * value * value;
      }
      const channelMean = count > 0 ? sum / count : 0;
      const variance = count > 0 ? sumOfSquares / count - channelMean ** 2 : 0;
      mean.push(channelMean / 255);
      std.push(Math.sqrt(Math.max(variance, 0)) / 255);
      pixelCount = count;
    }
    return { mean, std, pixelCount };
  }
}

/** The per-channel statistics of every pixel of `set`. */
export function computeChannelStatistics(set: ImageSet): ChannelStatistics {
  const histogram = new ChannelHistogram(set.channels);
  histogram.addBytes(set.images);
  return histogram.statistics();
}
