/**
 * Benchmark support: builds, once, a folder of JPEGs in the
 * `<class>/<image>` layout from CIFAR-10 training images upscaled to
 * 128x128, in the system's temp folder. A later run finds it complete
 * (a marker file records the count) and reuses it.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import sharp from 'sharp';

import { readCifar10 } from '../src/cifar10-reader.ts';

const SIDE = 128;
const MARKER = '.complete';

/** The folder holding `count` JPEGs made from the CIFAR-10 at `cifarDir`. */
export async function makeJpegFolder(cifarDir: string, count: number): Promise<string> {
  const dir = join(tmpdir(), `hourglass-bench-jpegs-${count}`);
  if (existsSync(join(dir, MARKER))) return dir;

  await rm(dir, { recursive: true, force: true });
  const { train, classNames } = await readCifar10(cifarDir);
  const imageBytes = train.height * train.width * train.channels;
  for (const name of classNames) await mkdir(join(dir, name), { recursive: true });

  for (let i = 0; i < count; i += 1) {
    const pixels = train.images.subarray(i * imageBytes, (i + 1) * imageBytes);
    const raw = { width: train.width, height: train.height, channels: 3 as const };
    const bytes = await sharp(pixels, { raw })
      .resize(SIDE, SIDE)
      .jpeg({ quality: 90 })
      .toBuffer();
    const name = `${String(i).padStart(5, '0')}.jpg`;
    await writeFile(join(dir, classNames[train.labels[i]!]!, name), bytes);
  }
  await writeFile(join(dir, MARKER), `${count}\n`);
  return dir;
}
