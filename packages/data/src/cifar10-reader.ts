/**
 * Reads CIFAR-10 in the official binary layout ("cifar-10-batches-bin").
 * Each record is one label byte followed by the red, green and blue planes
 * of a 32x32 image, each plane row-major; the reader turns the planes into
 * the HWC pixels an ImageSet holds.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { DataFormatError } from '@hourglass/common';

import { CIFAR10_DIR_HINT } from './cifar10-dir.ts';
import type { Dataset, ImageSet } from './image-set.ts';

/** The name `readCifar10` gives its dataset. */
export const CIFAR10_DATASET_NAME = 'cifar10';

/** The training batch files, in the order their records are read. */
export const CIFAR10_TRAIN_FILES: readonly string[] = [
  'data_batch_1.bin',
  'data_batch_2.bin',
  'data_batch_3.bin',
  'data_batch_4.bin',
  'data_batch_5.bin',
];

/** The test batch file. */
export const CIFAR10_TEST_FILE = 'test_batch.bin';

/** The class names, one a line, in label order. */
export const CIFAR10_META_FILE = 'batches.meta.txt';

const SIDE = 32;
const CHANNELS = 3;
const PLANE_BYTES = SIDE * SIDE;
const CLASS_COUNT = 10;

/** Bytes in one record: the label, then three 32x32 colour planes. */
export const CIFAR10_RECORD_BYTES = 1 + CHANNELS * PLANE_BYTES;

/** A batch file as found on disk before it is read. */
interface BatchFile {
  path: string;
  sizeBytes: number;
  records: number;
}

/**
 * Loads the whole dataset from `dir`: the five training batches as one
 * train split, test_batch.bin as the test split. Any whole number of
 * records per file is accepted (the official files hold 10,000). Every
 * problem with the files is a DataFormatError naming the file.
 */
export async function readCifar10(dir: string): Promise<Dataset> {
  await checkFolder(dir);

  const classNames = await readClassNames(join(dir, CIFAR10_META_FILE));
  const trainFiles = await Promise.all(
    CIFAR10_TRAIN_FILES.map((name) => inspectBatch(join(dir, name))),
  );
  const testFile = await inspectBatch(join(dir, CIFAR10_TEST_FILE));

  // Both splits are read only after every file has been found and sized,
  // so a missing test batch fails in milliseconds, not after the train set.
  const train = await readBatches(trainFiles);
  const test = await readBatches([testFile]);

  return { name: CIFAR10_DATASET_NAME, classNames, train, test };
}

async function checkFolder(dir: string): Promise<void> {
  const stats = await stat(dir).catch((error: unknown) => {
    if (isMissing(error)) {
      throw new DataFormatError(dir, `CIFAR-10 folder not found; ${CIFAR10_DIR_HINT}`, {
        cause: error,
      });
    }
    throw error;
  });
  if (!stats.isDirectory()) {
    throw new DataFormatError(
      dir,
      `expected the CIFAR-10 folder, found a file; ${CIFAR10_DIR_HINT}`,
    );
  }
}

async function readClassNames(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    if (isMissing(error)) {
      throw new DataFormatError(
        path,
        `missing: expected the ${CLASS_COUNT} class names, one per line`,
        { cause: error },
      );
    }
    throw error;
  });

  // The official file ends with blank lines; they are not names.
  const names = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (names.length !== CLASS_COUNT) {
    throw new DataFormatError(
      path,
      `expected ${CLASS_COUNT} class names, one per line, found ${names.length}`,
    );
  }
  return names;
}

async function inspectBatch(path: string): Promise<BatchFile> {
  const stats = await stat(path).catch((error: unknown) => {
    if (isMissing(error)) {
      throw new DataFormatError(
        path,
        `missing batch file: expected a whole number of ${CIFAR10_RECORD_BYTES}-byte ` +
          `records (${10_000 * CIFAR10_RECORD_BYTES} bytes in the official files)`,
        { cause: error },
      );
    }
    throw error;
  });

  checkBatchSize(path, stats.size);
  return { path, sizeBytes: stats.size, records: stats.size / CIFAR10_RECORD_BYTES };
}

function checkBatchSize(path: string, sizeBytes: number): void {
  if (sizeBytes < CIFAR10_RECORD_BYTES) {
    throw new DataFormatError(
      path,
      `too short: expected at least ${CIFAR10_RECORD_BYTES} bytes (one record), ` +
        `found ${sizeBytes} bytes`,
    );
  }

  const remainder = sizeBytes % CIFAR10_RECORD_BYTES;
  if (remainder !== 0) {
    const whole = sizeBytes - remainder;
    throw new DataFormatError(
      path,
      `truncated: expected a multiple of ${CIFAR10_RECORD_BYTES} bytes ` +
        `(${whole} or ${whole + CIFAR10_RECORD_BYTES}), found ${sizeBytes} bytes ` +
        `(${remainder} bytes past the last whole record)`,
    );
  }
}

async function readBatches(files: readonly BatchFile[]): Promise<ImageSet> {
  const count = files.reduce((total, file) => total + file.records, 0);
  const images = new Uint8Array(count * PLANE_BYTES * CHANNELS);
  const labels = new Uint8Array(count);

  // Each file goes whole into one reused buffer: a single read per file,
  // and no 30 MB allocation per file for the collector to chase.
  const largest = Math.max(...files.map((file) => file.sizeBytes));
  const buffer = new Uint8Array(largest);
  let first = 0;
  for (const file of files) {
    const bytes = await readWhole(file, buffer);
    convertRecords(file.path, bytes, images, labels, first);
    first += file.records;
  }

  return { images, labels, count, height: SIDE, width: SIDE, channels: CHANNELS };
}

/** Reads all of `file` into the start of `buffer`; returns that part. */
async function readWhole(file: BatchFile, buffer: Uint8Array): Promise<Uint8Array> {
  const handle = await open(file.path, 'r');
  try {
    let filled = 0;
    // A read may return less than asked for; zero bytes means the end.
    while (filled < file.sizeBytes) {
      const wanted = file.sizeBytes - filled;
      const { bytesRead } = await handle.read(buffer, filled, wanted, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled !== file.sizeBytes) {
      throw new DataFormatError(
        file.path,
        `changed while being read: expected ${file.sizeBytes} bytes, found ${filled}`,
      );
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/**
 * Copies every record of `bytes` into `images` (HWC) and `labels`, from
 * image `first` on. This loop is the reader's whole cost, so it moves four
 * pixels at a time: one 32-bit word from each plane in, three words out.
 */
function convertRecords(
  path: string,
  bytes: Uint8Array,
  images: Uint8Array,
  labels: Uint8Array,
  first: number,
): void {
  const records = bytes.length / CIFAR10_RECORD_BYTES;
  // DataViews, because the planes of a 3073-byte record are not 4-byte
  // aligned, and little-endian on both sides whatever the machine's order.
  const input = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const output = new DataView(images.buffer, images.byteOffset, images.length);

  for (let record = 0; record < records; record += 1) {
    const start = record * CIFAR10_RECORD_BYTES;
    const label = bytes[start]!;
    if (label >= CLASS_COUNT) {
      throw new DataFormatError(
        path,
        `record ${record} (byte ${start}): expected a label in ` +
          `0..${CLASS_COUNT - 1}, found ${label}`,
      );
    }
    labels[first + record] = label;

    const red = start + 1;
    const green = red + PLANE_BYTES;
    const blue = green + PLANE_BYTES;
    let out = (first + record) * PLANE_BYTES * CHANNELS;
    for (let pixel = 0; pixel < PLANE_BYTES; pixel += 4) {
      // r = r3 r2 r1 r0 (high to low byte), likewise g and b; the output
      // is r0 g0 b0 r1 | g1 b1 r2 g2 | b2 r3 g3 b3 in memory order.
      const r = input.getUint32(red + pixel, true);
      const g = input.getUint32(green + pixel, true);
      const b = input.getUint32(blue + pixel, true);
      output.setUint32(
        out,
        (r & 0xff) | ((g & 0xff) << 8) | ((b & 0xff) << 16) | ((r & 0xff00) << 16),
        true,
      );
      output.setUint32(
        out + 4,
        ((g >>> 8) & 0xff) | (b & 0xff00) | ((r & 0xff0000)) | ((g & 0xff0000) << 8),
        true,
      );
      output.setUint32(
        out + 8,
        ((b >>> 16) & 0xff) | ((r >>> 24) << 8) | ((g >>> 24) << 16) | (b & 0xff000000),
        true,
      );
      out += 12;
    }
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
