import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import sharp from 'sharp';

import { readImageHeader } from './image-header.ts';

function raw(width: number, height: number, channels: 1 | 3 | 4) {
  return sharp(new Uint8Array(width * height * channels).fill(90), {
    raw: { width, height, channels },
  });
}

describe('readImageHeader', () => {
  it('reads a colour JPEG: size and three components', async () => {
    const bytes = await raw(40, 30, 3).jpeg().toBuffer();

    assert.deepEqual(readImageHeader(bytes), {
      format: 'jpeg',
      width: 40,
      height: 30,
      layout: 3,
      bitDepth: 8,
      hasExif: false,
    });
  });

  it('notices Exif in a JPEG, which may rotate it', async () => {
    const bytes = await raw(8, 8, 3).jpeg().withMetadata({ orientation: 6 }).toBuffer();

    assert.equal(readImageHeader(bytes)?.hasExif, true);
  });

  it('reads a PNG with alpha: size, colour type 6, 8 bits', async () => {
    const bytes = await raw(5, 9, 4).png().toBuffer();

    assert.deepEqual(readImageHeader(bytes), {
      format: 'png',
      width: 5,
      height: 9,
      layout: 6,
      bitDepth: 8,
      hasExif: false,
    });
  });

  it('says nothing of bytes it does not know', () => {
    assert.equal(readImageHeader(Buffer.from('GIF89a and so on')), undefined);
    assert.equal(readImageHeader(Uint8Array.of(0xff, 0xd8, 0x00)), undefined);
  });
});
