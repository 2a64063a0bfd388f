/**
 * A small stimulus set in the neural folder format, with structure the
 * evaluations can find: each category has its own colour, each object its
 * own position, and two "areas" respond linearly to the pixels plus
 * trial noise, so site reliabilities are high and classifiers beat chance.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { createRandom, normal } from '@hourglass/common';
import { encodeNpy } from '@hourglass/data/testing';
import sharp from 'sharp';

const CATEGORIES = [
  { name: 'red', rgb: [220, 40, 40] },
  { name: 'green', rgb: [40, 200, 60] },
  { name: 'blue', rgb: [50, 60, 220] },
];
const OBJECTS_PER_CATEGORY = 2;
const IMAGES_PER_OBJECT = 6;
const SIDE = 16;
const SITES = 8;
const REPETITIONS = 4;

/** What was written, for a test to check results against. */
export interface NeuralFixture {
  path: string;
  images: number;
  areas: string[];
}

/** Writes the stimulus set into `dir` and returns its shape. */
export async function writeNeuralFolder(dir: string, seed = 5): Promise<NeuralFixture> {
  const random = createRandom(seed);
  await mkdir(join(dir, 'stimuli'), { recursive: true });
  await mkdir(join(dir, 'responses'), { recursive: true });

  const entries = [];
  const pixels: Float32Array[] = [];
  for (const category of CATEGORIES) {
    for (let o = 0; o < OBJECTS_PER_CATEGORY; o += 1) {
      for (let i = 0; i < IMAGES_PER_OBJECT; i += 1) {
        const size = 3 + (i % 3);
        const image = drawSquare(category.rgb, { x: 2 + o * 7, y: 2 + i, size });
        const file = `stimuli/${category.name}-${o}-${i}.png`;
        await sharp(Buffer.from(image), { raw: { width: SIDE, height: SIDE, channels: 3 } })
          .png()
          .toFile(join(dir, file));
        pixels.push(Float32Array.from(image, (value) => value / 255));
        entries.push({
          file,
          category: category.name,
          object: `${category.name}-${o}`,
          variationLevel: i % 2 === 0 ? 'V0' : 'V3',
          properties: { size, row: 2 + i },
        });
      }
    }
  }

  const areas = ['V4', 'IT'];
  for (const area of areas) {
    const weights = Float32Array.from({ length: SIDE * SIDE * 3 * SITES }, () => normal(random));
    const trials = new Float32Array(entries.length * SITES * REPETITIONS);
    pixels.forEach((image, n) => {
      for (let site = 0; site < SITES; site += 1) {
        let response = 0;
        for (let p = 0; p < image.length; p += 1) {
          response += image[p]! * weights[p * SITES + site]!;
        }
        for (let r = 0; r < REPETITIONS; r += 1) {
          trials[(n * SITES + site) * REPETITIONS + r] = response + normal(random);
        }
      }
    });
    const shape = [entries.length, SITES, REPETITIONS];
    await writeFile(join(dir, 'responses', `${area}.npy`), encodeNpy(trials, shape));
  }
  await writeFile(
    join(dir, 'meta.json'),
    JSON.stringify({ name: 'synthetic', areas, images: entries }, null, 2),
  );
  return { path: dir, images: entries.length, areas };
}

function drawSquare(
  rgb: number[],
  square: { x: number; y: number; size: number },
): Uint8Array {
  const image = new Uint8Array(SIDE * SIDE * 3).fill(128);
  for (let y = square.y; y < Math.min(SIDE, square.y + square.size); y += 1) {
    for (let x = square.x; x < Math.min(SIDE, square.x + square.size); x += 1) {
      image.set(rgb, (y * SIDE + x) * 3);
    }
  }
  return image;
}
