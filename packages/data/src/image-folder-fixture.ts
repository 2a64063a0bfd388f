/**
 * Test support: small image folders in the `<root>/<class>/<image>`
 * layout, drawn with sharp so tests know every pixel. Not part of the
 * package's surface.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import sharp from 'sharp';

/** One image to write: its class folder, file name and pixels. */
export interface FixtureImage {
  className: string;
  fileName: string;
  width: number;
  height: number;
  /** width * height * channels bytes, HWC. */
  pixels: Uint8Array;
  channels: 1 | 3 | 4;
}

/**
 * An image whose pixel (x, y) is (x * 7 + seed, y * 5 + seed, seed * 3)
 * modulo 256 in RGB: every position and image is told apart.
 */
export function gradientImage(
  className: string,
  fileName: string,
  width: number,
  height: number,
  seed: number,
): FixtureImage {
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const at = (y * width + x) * 3;
      pixels[at] = (x * 7 + seed) % 256;
      pixels[at + 1] = (y * 5 + seed) % 256;
      pixels[at + 2] = (seed * 3) % 256;
    }
  }
  return { className, fileName, width, height, pixels, channels: 3 };
}

/** Writes `images` under `root`, PNG or JPEG by the file name's ending. */
export async function writeImageFolder(
  root: string,
  images: readonly FixtureImage[],
): Promise<void> {
  for (const image of images) {
    const folder = join(root, image.className);
    await mkdir(folder, { recursive: true });
    const raw = { width: image.width, height: image.height, channels: image.channels };
    const pipeline = sharp(image.pixels, { raw });
    const isJpeg = /\.jpe?g$/i.test(image.fileName);
    const bytes = await (isJpeg ? pipeline.jpeg({ quality: 95 }) : pipeline.png()).toBuffer();
    await writeFile(join(folder, image.fileName), bytes);
  }
}
