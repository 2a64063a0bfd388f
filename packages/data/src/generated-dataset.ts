/**
 * A synthetic 10-class image dataset made from a seed, for tests and
 * offline demos. Each class has its own colour, grating orientation and
 * frequency, and blob position; every image draws its own brightness,
 * saturation, contrast, phase, jitter and pixel noise, so the classes are
 * learnable (a linear classifier on pixels separates most of them) without
 * any two images being alike.
 */
import {
  ValidationError,
  createRandom,
  deriveSeed,
  normal,
  permutation,
  type FieldIssue,
  type Random,
} from '@hourglass/common';

import type { Dataset, ImageSet } from './image-set.ts';

/** What `createGeneratedDataset` makes; `imageSize` defaults to 32. */
export interface GeneratedDatasetOptions {
  seed: number;
  trainSize: number;
  testSize: number;
  /** Side of the square images in pixels, at least 8. */
  imageSize?: number;
}

/** The name `createGeneratedDataset` gives its datasets. */
export const GENERATED_DATASET_NAME = 'generated';

const CLASS_COUNT = 10;
const CHANNELS = 3;
const MIN_IMAGE_SIZE = 8;
const NOISE_SD = 0.08;

type Rgb = readonly [number, number, number];

interface ClassStyle {
  name: string;
  color: Rgb;
  orientationRad: number;
  cyclesPerImage: number;
  /** Blob centre, as fractions of the image width and height. */
  blobU: number;
  blobV: number;
}

// Five hues for ten classes: colour alone can tell at most half of them
// apart, so a model must also use where the blob is and how the bars run.
const HUES: readonly { name: string; color: Rgb }[] = [
  { name: 'red', color: [0.85, 0.2, 0.2] },
  { name: 'yellow', color: [0.85, 0.8, 0.2] },
  { name: 'green', color: [0.25, 0.75, 0.3] },
  { name: 'blue', color: [0.2, 0.35, 0.85] },
  { name: 'purple', color: [0.65, 0.25, 0.8] },
];

const CLASS_STYLES: readonly ClassStyle[] = Array.from(
  { length: CLASS_COUNT },
  (_, label) => {
    const hue = HUES[label % HUES.length]!;
    const orientationDeg = label * 18;
    const blobAngle = (2 * Math.PI * label) / CLASS_COUNT;
    return {
      name: `${hue.name}-${orientationDeg}deg`,
      color: hue.color,
      orientationRad: (orientationDeg * Math.PI) / 180,
      cyclesPerImage: 3 + (label % 3),
      blobU: 0.5 + 0.28 * Math.cos(blobAngle),
      blobV: 0.5 + 0.28 * Math.sin(blobAngle),
    };
  },
);

/**
 * Makes the generated dataset: `trainSize` and `testSize` RGB images of
 * `imageSize` x `imageSize` pixels, classes balanced to within one image.
 * The same options give the same bytes (under V8; the language leaves the
 * last bit of Math.sin and Math.exp to the engine). Train and test
 * come from the same distribution through separate random streams, so no
 * test image is a copy of a training image.
 */
export function createGeneratedDataset(options: GeneratedDatasetOptions): Dataset {
  const imageSize = options.imageSize ?? 32;
  checkOptions({ ...options, imageSize });

  return {
    name: GENERATED_DATASET_NAME,
    classNames: CLASS_STYLES.map((style) => style.name),
    train: createImageSet(
      options.trainSize,
      imageSize,
      deriveSeed(options.seed, 'train'),
    ),
    test: createImageSet(options.testSize, imageSize, deriveSeed(options.seed, 'test')),
  };
}

function checkOptions(options: Required<GeneratedDatasetOptions>): void {
  const issues: FieldIssue[] = [];
  if (!Number.isInteger(options.seed)) {
    issues.push({ path: 'seed', message: `expected an integer, got ${options.seed}` });
  }
  for (const field of ['trainSize', 'testSize'] as const) {
    const value = options[field];
    if (!Number.isInteger(value) || value < 1) {
      const message = `expected a positive integer, got ${value}`;
      issues.push({ path: field, message });
    }
  }
  if (!Number.isInteger(options.imageSize) || options.imageSize < MIN_IMAGE_SIZE) {
    issues.push({
      path: 'imageSize',
      message: `expected an integer >= ${MIN_IMAGE_SIZE}, got ${options.imageSize}`,
    });
  }
  if (issues.length > 0) throw new ValidationError('generated dataset options', issues);
}

function createImageSet(count: number, size: number, seed: number): ImageSet {
  const pixelsPerImage = size * size * CHANNELS;
  const images = new Uint8Array(count * pixelsPerImage);
  const labels = new Uint8Array(count);

  // Balanced labels in a shuffled order, so that even a 20-image test set
  // holds every class twice.
  const order = permutation(count, deriveSeed(seed, 'labels'));
  for (let i = 0; i < count; i += 1) labels[i] = order[i]! % CLASS_COUNT;

  // A clamped view of the same bytes rounds and clips each float on
  // assignment; a plain Uint8Array would wrap 256 round to 0.
  const clamped = new Uint8ClampedArray(images.buffer);
  const random = createRandom(deriveSeed(seed, 'images'));
  const axes = createAxes(size);
  for (let i = 0; i < count; i += 1) {
    const style = CLASS_STYLES[labels[i]!]!;
    drawImage(clamped, i * pixelsPerImage, size, style, random, axes);
  }

  return { images, labels, count, height: size, width: size, channels: CHANNELS };
}

/** Per-row and per-column factors of one image, reused between images. */
interface Axes {
  sinX: Float64Array;
  cosX: Float64Array;
  sinY: Float64Array;
  cosY: Float64Array;
  blobX: Float64Array;
  blobY: Float64Array;
}

function createAxes(size: number): Axes {
  return {
    sinX: new Float64Array(size),
    cosX: new Float64Array(size),
    sinY: new Float64Array(size),
    cosY: new Float64Array(size),
    blobX: new Float64Array(size),
    blobY: new Float64Array(size),
  };
}

function between(random: Random, low: number, high: number): number {
  return low + (high - low) * random();
}

function mapRgb(color: Rgb, map: (value: number) => number): Rgb {
  return [map(color[0]), map(color[1]), map(color[2])];
}

// Pixel noise is nearly all of the random draws, so each value takes one
// 32-bit draw and sums its four bytes (Irwin-Hall: close to normal, mean
// 510, sd 147.8) instead of a Box-Muller draw, several times slower.
const BYTE_SUM_MEAN = 510;
const BYTE_SUM_SD = Math.sqrt((4 * (256 * 256 - 1)) / 12);
const NOISE_SCALE = (255 * NOISE_SD) / BYTE_SUM_SD;
const NOISE_SHIFT = BYTE_SUM_MEAN * NOISE_SCALE;

function sumOfBytes(random: Random): number {
  const bits = random() * 4294967296;
  return (bits & 255) + ((bits >>> 8) & 255) + ((bits >>> 16) & 255) + (bits >>> 24);
}

/** Renders one image of class `style` into `out` from byte `offset`. */
function drawImage(
  out: Uint8ClampedArray,
  offset: number,
  size: number,
  style: ClassStyle,
  random: Random,
  axes: Axes,
): void {
  // The per-image draws that keep two images of a class from matching.
  const brightness = between(random, 0.45, 1);
  const desaturation = between(random, 0, 0.7);
  const contrast = between(random, 0.15, 0.45);
  const phase = between(random, 0, 2 * Math.PI);
  const orientation = style.orientationRad + 0.08 * normal(random);
  const blobU = style.blobU + 0.08 * normal(random);
  const blobV = style.blobV + 0.08 * normal(random);
  const blobRadius = between(random, 0.07, 0.13);
  const blobStrength = between(random, 0.3, 0.8);

  const gray = (style.color[0] + style.color[1] + style.color[2]) / 3;
  const base = mapRgb(style.color, (value) => {
    return brightness * (value + desaturation * (gray - value));
  });
  // The blob is the complement of the background so it stands out on any.
  const blob = mapRgb(base, (value) => 1 - value);

  // Both the grating and the blob are separable in x and y, so their sines
  // and exponentials are taken per row and per column, not per pixel:
  // sin(a + b) = sin a cos b + cos a sin b, and exp(a + b) = exp a exp b.
  const waveNumber = 2 * Math.PI * style.cyclesPerImage;
  const waveX = waveNumber * Math.cos(orientation);
  const waveY = waveNumber * Math.sin(orientation);
  const blobFalloff = -1 / (2 * blobRadius * blobRadius);
  for (let i = 0; i < size; i += 1) {
    const t = (i + 0.5) / size;
    axes.sinX[i] = Math.sin(waveX * t);
    axes.cosX[i] = Math.cos(waveX * t);
    axes.sinY[i] = Math.sin(waveY * t + phase);
    axes.cosY[i] = Math.cos(waveY * t + phase);
    axes.blobX[i] = Math.exp((t - blobU) ** 2 * blobFalloff);
    axes.blobY[i] = blobStrength * Math.exp((t - blobV) ** 2 * blobFalloff);
  }

  let index = offset;
  for (let y = 0; y < size; y += 1) {
    const sinY = axes.sinY[y]!;
    const cosY = axes.cosY[y]!;
    const blobY = axes.blobY[y]!;
    for (let x = 0; x < size; x += 1) {
      const wave = axes.sinX[x]! * cosY + axes.cosX[x]! * sinY;
      const shade = 1 + contrast * wave;
      const weight = axes.blobX[x]! * blobY;
      for (let c = 0; c < CHANNELS; c += 1) {
        const background = base[c]! * shade;
        const value = background + weight * (blob[c]! - background);
        out[index] = 255 * value + NOISE_SCALE * sumOfBytes(random) - NOISE_SHIFT;
        index += 1;
      }
    }
  }
}
