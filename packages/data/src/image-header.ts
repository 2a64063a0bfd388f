/**
 * Reads an image's size and pixel layout from its first bytes, without
 * decoding it. The folder decoder uses this to send small, plain images
 * to libvips in groups (one pipeline for many images: its fixed cost per
 * pipeline is larger than the decode of a 128-pixel JPEG) and everything
 * else one by one. A header it does not understand is not an error here:
 * that image simply takes the one-by-one path, where sharp judges it.
 */

/** What the header says; enough to tell whether two images can share a pipeline. */
export interface ImageHeader {
  format: 'jpeg' | 'png';
  width: number;
  height: number;
  /**
   * JPEG: the component count (1 grey, 3 colour, 4 CMYK). PNG: the colour
   * type (0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA).
   */
  layout: number;
  /** Bits per sample (PNG), or 8 for JPEG. */
  bitDepth: number;
  /** JPEG with an Exif block, which may rotate the image. */
  hasExif: boolean;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The header of a JPEG or PNG file, or undefined for anything else. */
export function readImageHeader(bytes: Uint8Array): ImageHeader | undefined {
  if (bytes.length >= 24 && PNG_SIGNATURE.every((value, i) => bytes[i] === value)) {
    return readPngHeader(bytes);
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    return readJpegHeader(bytes);
  }
  return undefined;
}

function readPngHeader(bytes: Uint8Array): ImageHeader | undefined {
  // The IHDR chunk comes first: length, "IHDR", width, height, depth, type.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const isIhdr = String.fromCharCode(...bytes.subarray(12, 16)) === 'IHDR';
  if (!isIhdr || bytes.length < 26) return undefined;
  return {
    format: 'png',
    width: view.getUint32(16),
    height: view.getUint32(20),
    bitDepth: bytes[24]!,
    layout: bytes[25]!,
    hasExif: false,
  };
}

function readJpegHeader(bytes: Uint8Array): ImageHeader | undefined {
  let hasExif = false;
  let offset = 2;

  // Markers follow one another, each FF xx then a big-endian length that
  // counts itself, until a start-of-frame gives the size.
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    const length = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    if (marker === 0xe1 && isExif(bytes, offset + 4)) hasExif = true;
    if (isStartOfFrame(marker)) {
      if (offset + 10 > bytes.length) return undefined;
      return {
        format: 'jpeg',
        height: (bytes[offset + 5]! << 8) | bytes[offset + 6]!,
        width: (bytes[offset + 7]! << 8) | bytes[offset + 8]!,
        layout: bytes[offset + 9]!,
        bitDepth: 8,
        hasExif,
      };
    }
    offset += 2 + length;
  }
  return undefined;
}

// C0..CF are frames, except C4 (Huffman tables), C8 (reserved) and CC
// (arithmetic coding conditions).
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
}

function isExif(bytes: Uint8Array, at: number): boolean {
  const tag = [0x45, 0x78, 0x69, 0x66, 0, 0];
  return tag.every((value, i) => bytes[at + i] === value);
}
