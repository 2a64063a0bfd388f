import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ValidationError } from '@hourglass/common';

import { gatherBatch } from './gather-batch.ts';
import type { ImageSet } from './image-set.ts';

/** Three 2x2 RGB images; image i's bytes are 10 * i + 0..11. */
function smallSet(): ImageSet {
  const images = new Uint8Array(3 * 12);
  for (let i = 0; i < images.length; i += 1) images[i] = 10 * Math.floor(i / 12) + (i % 12);
  images[35] = 255;
  return { images, labels: Uint8Array.of(4, 7, 9), count: 3, height: 2, width: 2, channels: 3 };
}

describe('gatherBatch', () => {
  it('copies the chosen images in order, scaled to [0, 1]', () => {
    const batch = gatherBatch(smallSet(), [2, 0]);

    assert.deepEqual(batch.shape, [2, 2, 2, 3]);
    assert.equal(batch.pixels.length, 24);
    assert.deepEqual([...batch.labels], [9, 4]);
    const expected = [
      ...Array.from({ length: 11 }, (_, j) => 20 + j), 255,
      ...Array.from({ length: 12 }, (_, j) => j),
    ];
    batch.pixels.forEach((value, j) => {
      assert.ok(Math.abs(value - expected[j]! / 255) < 1e-7, `pixel ${j}: ${value}`);
    });
    assert.equal(batch.pixels[11], 1);
    assert.equal(batch.pixels[12], 0);
  });

  it('takes a typed array of indices and repeats an index if asked', () => {
    const batch = gatherBatch(smallSet(), Uint32Array.of(1, 1));

    assert.deepEqual([...batch.labels], [7, 7]);
    assert.deepEqual(batch.pixels.subarray(0, 12), batch.pixels.subarray(12));
  });

  it('gives an empty batch for no indices', () => {
    const batch = gatherBatch(smallSet(), []);

    assert.deepEqual(batch.shape, [0, 2, 2, 3]);
    assert.equal(batch.pixels.length, 0);
  });

  it('rejects an index outside the set', () => {
    assert.throws(
      () => gatherBatch(smallSet(), [0, 3]),
      (error: unknown) => error instanceof ValidationError && /0\.\.2, got 3/.test(error.message),
    );
  });
});
