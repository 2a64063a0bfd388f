import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { placeImage, type DecodedImage } from './resample.ts';

/** A 3-channel image whose pixel (x, y) is (x, y, x + y) times `step`. */
function ramp(width: number, height: number, step = 1): DecodedImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      data.set([x * step, y * step, (x + y) * step], (y * width + x) * 3);
    }
  }
  return { data, width, height, channels: 3 };
}

function place(image: DecodedImage, size: number, plan: Partial<Parameters<typeof placeImage>[1]>) {
  const out = new Float32Array(size * size * 3);
  placeImage(image, { shorterSide: size, x: 0.5, y: 0.5, isFlipped: false, ...plan }, size, out, 0);
  return Array.from(out, (value) => Math.round(value * 255 * 1000) / 1000);
}

describe('placeImage', () => {
  it('copies an image of the right size unchanged', () => {
    const image = ramp(4, 4, 10);

    assert.deepEqual(place(image, 4, {}), Array.from(image.data));
  });

  it('crops the centre of the longer side', () => {
    const out = place(ramp(6, 4, 10), 4, {});

    // Columns 1..4 of the 6: x = 10..40 in the red channel of row 0.
    assert.deepEqual([0, 1, 2, 3].map((x) => out[x * 3]), [10, 20, 30, 40]);
  });

  it('mirrors left to right when flipped', () => {
    const out = place(ramp(4, 4, 10), 4, { isFlipped: true });

    assert.deepEqual([0, 1, 2, 3].map((x) => out[x * 3]), [30, 20, 10, 0]);
  });

  it('averages each 2 x 2 block when halving', () => {
    const out = place(ramp(8, 8, 10), 4, {});

    // Output pixel 0 averages source x 0 and 1 (red 0, 10): 5.
    assert.deepEqual([0, 1, 2, 3].map((x) => out[x * 3]), [5, 25, 45, 65]);
    assert.deepEqual([0, 1, 2, 3].map((y) => out[y * 12 + 1]), [5, 25, 45, 65]);
  });

  it('places a random crop of the enlarged image by its offsets', () => {
    const image = ramp(4, 4, 10);
    // Scaled to 8 x 8 (shorter side 8), the window is 4 wide: offsets 0..4.
    const left = place(image, 4, { shorterSide: 8, x: 0, y: 0 });
    const right = place(image, 4, { shorterSide: 8, x: 0.99, y: 0 });

    assert.ok(left[0]! < right[0]!);
    assert.equal(right[9], 30);
  });

  it('feeds a grey image to all three channels', () => {
    const grey = { data: Uint8Array.from([0, 51, 102, 153]), width: 2, height: 2, channels: 1 };

    assert.deepEqual(place(grey, 2, {}), [0, 0, 0, 51, 51, 51, 102, 102, 102, 153, 153, 153]);
  });
});
