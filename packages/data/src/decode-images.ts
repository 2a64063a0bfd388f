/**
 * Decodes a batch's encoded images with sharp. Each libvips pipeline has a
 * fixed cost of about a millisecond (measured: more than the decode of a
 * 128x128 JPEG), so small plain images of one size and layout are decoded
 * together, joined side by side in one pipeline, then cut apart. Large
 * images go one by one and are shrunk by libvips while decoding (JPEG
 * shrink-on-load), which that cost is small beside. An image that fails
 * is returned as its error, never thrown, so one bad file cannot take its
 * neighbours down with it.
 */
import sharp from 'sharp';

import { toError } from '@hourglass/common';

import type { ConcurrencyLimit } from './concurrency-limit.ts';
import type { ImageHeader } from './image-header.ts';
import type { DecodedImage } from './resample.ts';

/** A file's bytes and what its header says (undefined: not understood). */
export interface EncodedImage {
  bytes: Uint8Array;
  header: ImageHeader | undefined;
}

/** Images decoded in one joined pipeline, at most. */
const GROUP_SIZE = 16;

/**
 * Images at least this many times the needed side are shrunk by libvips
 * as they decode (JPEG's DCT scaling skips most of the work); below it the
 * resize's own overhead costs more than it saves (measured with 128-pixel
 * JPEGs decoded for 64-pixel crops).
 */
const SHRINK_ON_LOAD_FACTOR = 4;

/**
 * Decodes `images` so that each result's shorter side is at least
 * `shorterSide` (or the image's own, if smaller). Results are in input
 * order: a DecodedImage, or the Error sharp gave for that image.
 */
export async function decodeImages(
  images: readonly EncodedImage[],
  shorterSide: number,
  limit: ConcurrencyLimit,
): Promise<(DecodedImage | Error)[]> {
  const results: (DecodedImage | Error)[] = new Array(images.length);
  const groups = new Map<string, number[]>();
  const singles: number[] = [];

  images.forEach((image, index) => {
    const key = groupKey(image.header, shorterSide);
    if (key === undefined) {
      singles.push(index);
      return;
    }
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [index]);
    else group.push(index);
  });

  const work: Promise<void>[] = singles.map(async (index) => {
    results[index] = await limit.run(() => decodeOne(images[index]!, shorterSide));
  });
  for (const members of groups.values()) {
    for (let start = 0; start < members.length; start += GROUP_SIZE) {
      const chunk = members.slice(start, start + GROUP_SIZE);
      work.push(decodeChunk(images, chunk, shorterSide, limit, results));
    }
  }
  await Promise.all(work);
  return results;
}

/**
 * Images can share a pipeline when libvips would decode them alike: same
 * size, 8-bit grey or colour without alpha surprises, no Exif rotation,
 * and small enough that shrinking while decoding would not pay.
 */
function groupKey(header: ImageHeader | undefined, shorterSide: number): string | undefined {
  if (header === undefined) return undefined;
  if (isLarge(header, shorterSide)) return undefined;

  const { format, width, height, layout, bitDepth } = header;
  const isPlainJpeg = format === 'jpeg' && (layout === 1 || layout === 3) && !header.hasExif;
  const isPlainPng = format === 'png' && bitDepth === 8 && [0, 2, 6].includes(layout);
  if (!isPlainJpeg && !isPlainPng) return undefined;
  return `${format}:${width}x${height}:${layout}`;
}

function isLarge(header: ImageHeader, shorterSide: number): boolean {
  return Math.min(header.width, header.height) >= SHRINK_ON_LOAD_FACTOR * shorterSide;
}

async function decodeChunk(
  images: readonly EncodedImage[],
  chunk: readonly number[],
  shorterSide: number,
  limit: ConcurrencyLimit,
  results: (DecodedImage | Error)[],
): Promise<void> {
  if (chunk.length === 1) {
    const index = chunk[0]!;
    results[index] = await limit.run(() => decodeOne(images[index]!, shorterSide));
    return;
  }

  const joined = await limit.run(() => decodeJoined(chunk.map((i) => images[i]!)));
  if (!(joined instanceof Error)) {
    chunk.forEach((index, k) => {
      results[index] = joined[k]!;
    });
    return;
  }

  // One bad file fails the joined pipeline; decoding the members one by
  // one finds it and keeps the others.
  await Promise.all(
    chunk.map(async (index) => {
      results[index] = await limit.run(() => decodeOne(images[index]!, shorterSide));
    }),
  );
}

async function decodeJoined(
  members: readonly EncodedImage[],
): Promise<DecodedImage[] | Error> {
  try {
    const inputs = members.map((member) => member.bytes);
    const { data, info } = await sharp(inputs, { join: { across: inputs.length } })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });

    const width = info.width / members.length;
    const { height, channels } = info;
    const header = members[0]!.header!;
    if (width !== header.width || height !== header.height) {
      return new Error(`joined decode gave ${info.width}x${height}`);
    }
    // Each image is a view of its cell: no copy.
    const rowBytes = info.width * channels;
    return members.map((_, k) => {
      return { data, width, height, channels, byteOffset: k * width * channels, rowBytes };
    });
  } catch (error) {
    return toError(error);
  }
}

async function decodeOne(
  image: EncodedImage,
  shorterSide: number,
): Promise<DecodedImage | Error> {
  try {
    // rotate() with no angle applies the Exif orientation.
    let pipeline = sharp(image.bytes).rotate();
    const header = image.header;
    if (header === undefined || isLarge(header, shorterSide)) {
      // 'outside' keeps the aspect ratio with the shorter side at
      // shorterSide; withoutEnlargement leaves an unknown small image as is.
      pipeline = pipeline.resize(shorterSide, shorterSide, {
        fit: 'outside',
        withoutEnlargement: true,
      });
    }
    // CMYK, 16-bit and palette images all come out as 8-bit sRGB.
    const { data, info } = await pipeline
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels };
  } catch (error) {
    return toError(error);
  }
}
