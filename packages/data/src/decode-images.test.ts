import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import sharp from 'sharp';

import { ConcurrencyLimit } from './concurrency-limit.ts';
import { decodeImages, type EncodedImage } from './decode-images.ts';
import { gradientImage } from './image-folder-fixture.ts';
import { readImageHeader } from './image-header.ts';
import type { DecodedImage } from './resample.ts';

async function encode(width: number, height: number, seed: number, format: 'png' | 'jpeg') {
  const image = gradientImage('c', 'x', width, height, seed);
  const pipeline = sharp(image.pixels, { raw: { width, height, channels: 3 } });
  const bytes = await (format === 'png' ? pipeline.png() : pipeline.jpeg()).toBuffer();
  return { bytes, header: readImageHeader(bytes), pixels: image.pixels };
}

/** An image's own pixels, copied out of a shared buffer if it is a view. */
function pixelsOf(image: DecodedImage): Uint8Array {
  const rowBytes = image.width * image.channels;
  const stride = image.rowBytes ?? rowBytes;
  const out = new Uint8Array(rowBytes * image.height);
  for (let row = 0; row < image.height; row += 1) {
    const from = (image.byteOffset ?? 0) + row * stride;
    out.set(image.data.subarray(from, from + rowBytes), row * rowBytes);
  }
  return out;
}

describe('decodeImages', () => {
  const limit = new ConcurrencyLimit(2);

  it('decodes same-size images together exactly as one by one', async () => {
    const images = await Promise.all([1, 2, 3, 4, 5].map((seed) => encode(10, 6, seed, 'png')));

    const together = await decodeImages(images, 6, limit);
    const alone = await Promise.all(images.map((image) => decodeImages([image], 6, limit)));

    together.forEach((result, i) => {
      assert.ok(!(result instanceof Error));
      const single = alone[i]![0] as DecodedImage;
      assert.deepEqual(pixelsOf(result), pixelsOf(single));
      assert.deepEqual([result.width, result.height], [single.width, single.height]);
      assert.deepEqual(pixelsOf(result), images[i]!.pixels);
    });
  });

  it('shrinks a large image while decoding, keeping its aspect ratio', async () => {
    const large = await encode(200, 100, 1, 'jpeg');

    const [result] = await decodeImages([large], 10, limit);

    const image = result as DecodedImage;
    assert.equal(image.height, 10);
    // libvips rounds the longer side after its shrink-on-load step.
    assert.ok(Math.abs(image.width - 20) <= 1, `width ${image.width}`);
    assert.equal(image.channels, 3);
  });

  it('returns the error of a bad image and still decodes its group', async () => {
    const good = await Promise.all([1, 2].map((seed) => encode(8, 8, seed, 'png')));
    const bad: EncodedImage = { bytes: good[0]!.bytes.subarray(0, 40), header: good[0]!.header };

    const results = await decodeImages([good[0]!, bad, good[1]!], 8, limit);

    assert.ok(!(results[0] instanceof Error));
    assert.ok(results[1] instanceof Error);
    assert.ok(!(results[2] instanceof Error));
  });
});
