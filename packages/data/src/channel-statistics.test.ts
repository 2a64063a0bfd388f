import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ChannelHistogram, computeChannelStatistics } from './channel-statistics.ts';
import { gatherBatch } from './gather-batch.ts';
import { createGeneratedDataset } from './generated-dataset.ts';

describe('computeChannelStatistics', () => {
  it('gives each channel its own mean and standard deviation on the [0, 1] scale', () => {
    // Two pixels: red 0 and 255, green always 51, blue 0 and 102.
    const images = Uint8Array.from([0, 51, 0, 255, 51, 102]);
    const set = { images, labels: new Uint8Array(2), count: 2, height: 1, width: 1, channels: 3 };

    const stats = computeChannelStatistics(set);

    assert.equal(stats.pixelCount, 2);
    const expectedMean = [0.5, 0.2, 0.2];
    const expectedStd = [0.5, 0, 0.2];
    stats.mean.forEach((value, c) => assert.ok(Math.abs(value - expectedMean[c]!) < 1e-12));
    stats.std.forEach((value, c) => assert.ok(Math.abs(value - expectedStd[c]!) < 1e-12));
  });

  it('matches a direct float computation on a generated set', () => {
    const { train } = createGeneratedDataset({ seed: 1, trainSize: 40, testSize: 1 });

    const stats = computeChannelStatistics(train);

    for (let c = 0; c < 3; c += 1) {
      let sum = 0;
      let sumOfSquares = 0;
      let n = 0;
      for (let i = c; i < train.images.length; i += 3) {
        const value = train.images[i]! / 255;
        sum += value;
        sumOfSquares += value * value;
        n += 1;
      }
      const mean = sum / n;
      assert.ok(Math.abs(stats.mean[c]! - mean) < 1e-9);
      assert.ok(Math.abs(stats.std[c]! - Math.sqrt(sumOfSquares / n - mean * mean)) < 1e-9);
    }
  });

  it('gives the same result from gathered batches as from the bytes', () => {
    const { train } = createGeneratedDataset({ seed: 5, trainSize: 12, testSize: 1 });
    const histogram = new ChannelHistogram(3);

    histogram.addBatch(gatherBatch(train, Uint32Array.from(train.labels.keys())));

    assert.deepEqual(histogram.statistics(), computeChannelStatistics(train));
  });

  it('gives the same result added in parts as all at once', () => {
    const { train } = createGeneratedDataset({ seed: 2, trainSize: 10, testSize: 1 });
    const histogram = new ChannelHistogram(3);
    const half = (train.images.length / 2) | 0;

    histogram.addBytes(train.images.subarray(0, half - (half % 3)));
    histogram.addBytes(train.images.subarray(half - (half % 3)));

    assert.deepEqual(histogram.statistics(), computeChannelStatistics(train));
  });
});
