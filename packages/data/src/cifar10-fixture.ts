/**
 * Test support: small CIFAR-10 folders in the official binary layout, so
 * tests never need the real 180 MB. Not part of the package's surface.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { createRandom } from '@hourglass/common';

import {
  CIFAR10_META_FILE,
  CIFAR10_RECORD_BYTES,
  CIFAR10_TEST_FILE,
  CIFAR10_TRAIN_FILES,
} from './cifar10-reader.ts';

/** One record as it lies on disk: a label and the R, G, B planes. */
export interface Cifar10Record {
  label: number;
  /** 3072 bytes: the red plane, then green, then blue, each row-major. */
  planes: Uint8Array;
}

/** The official class names, in label order. */
export const CIFAR10_CLASS_NAMES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];

/** `count` records with seeded random labels and pixels. */
export function makeRecords(count: number, seed: number): Cifar10Record[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => {
    const planes = new Uint8Array(CIFAR10_RECORD_BYTES - 1);
    for (let i = 0; i < planes.length; i += 1) planes[i] = Math.floor(random() * 256);
    return { label: Math.floor(random() * 10), planes };
  });
}

/** The bytes of a batch file holding `records`. */
export function encodeRecords(records: readonly Cifar10Record[]): Uint8Array {
  const bytes = new Uint8Array(records.length * CIFAR10_RECORD_BYTES);
  records.forEach((record, index) => {
    bytes[index * CIFAR10_RECORD_BYTES] = record.label;
    bytes.set(record.planes, index * CIFAR10_RECORD_BYTES + 1);
  });
  return bytes;
}

/** The contents of a fixture folder: five train batches and a test batch. */
export interface Cifar10Fixture {
  train: Cifar10Record[][];
  test: Cifar10Record[];
}

/**
 * Writes a complete, valid folder into `dir` (created if needed): train
 * batch k holds k + 1 records, the test batch 3, all drawn from `seed`.
 */
export async function writeCifar10Folder(
  dir: string,
  seed = 1,
): Promise<Cifar10Fixture> {
  const fixture: Cifar10Fixture = {
    train: CIFAR10_TRAIN_FILES.map((_, k) => makeRecords(k + 1, seed * 100 + k)),
    test: makeRecords(3, seed * 100 + 99),
  };

  await mkdir(dir, { recursive: true });
  await Promise.all([
    ...CIFAR10_TRAIN_FILES.map((name, k) => {
      return writeFile(join(dir, name), encodeRecords(fixture.train[k]!));
    }),
    writeFile(join(dir, CIFAR10_TEST_FILE), encodeRecords(fixture.test)),
    writeFile(join(dir, CIFAR10_META_FILE), `${CIFAR10_CLASS_NAMES.join('\n')}\n\n`),
  ]);
  return fixture;
}
