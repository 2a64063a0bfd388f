/**
 * Opens an ImageNet-style folder as a StreamingDataset: the folder is
 * indexed (names only), a validation share of each class is set aside by
 * seed, and each split becomes an ImageFolderSource that decodes its
 * images batch by batch.
 */
import { availableParallelism } from 'node:os';
import { basename, resolve } from 'node:path';

import sharp from 'sharp';

import { ValidationError, deriveSeed, permutation, type FieldIssue } from '@hourglass/common';
import type { BadImagePolicy } from '@hourglass/specs';

import { ConcurrencyLimit } from './concurrency-limit.ts';
import { scanImageFolder, type ImageFolderIndex } from './image-folder-scan.ts';
import { ImageFolderSource, type BadImageReport } from './image-folder-source.ts';
import type { StreamingDataset } from './streaming-dataset.ts';

/** How to open a folder; see imageFolderDefaults for what is left out. */
export interface ImageFolderOptions {
  /** The training folder, `<path>/<class>/<image>`. */
  path: string;
  /** A folder with the same classes, read as the test split. */
  testPath?: string;
  /** Side of the square images produced. */
  imageSize: number;
  /** Share of each class held out for validation, in [0, 0.5]. */
  validationFraction?: number;
  splitSeed?: number;
  /** Random crop and flip for training images. */
  augment?: boolean;
  /** With augment, the shorter side is first resized to imageSize * this. */
  resizeRatio?: number;
  onBadImage?: BadImagePolicy;
  /** Told of each bad file once; by default a process warning. */
  reportBadImage?: (report: BadImageReport) => void;
  /** Decodes in flight at once, across all splits. */
  decodeConcurrency?: number;
  /** Batches each split reads ahead of training. */
  readAheadBatches?: number;
}

/** ImageFolderOptions with every default filled in. */
export type ResolvedImageFolderOptions = Required<Omit<ImageFolderOptions, 'testPath'>> &
  Pick<ImageFolderOptions, 'testPath'>;

/**
 * The defaults: no validation split, augmentation on (resize ratio
 * 1.143, about 256 / 224), skip bad images with a warning, as many decodes
 * in flight as the machine has cores plus one (one waits on its file
 * while the others decode), four batches read ahead.
 */
export function imageFolderDefaults(): Omit<
  ResolvedImageFolderOptions,
  'path' | 'imageSize'
> {
  return {
    validationFraction: 0,
    splitSeed: 0,
    augment: true,
    resizeRatio: 1.143,
    onBadImage: 'skip',
    reportBadImage: warnBadImage,
    decodeConcurrency: availableParallelism() + 1,
    readAheadBatches: 4,
  };
}

/**
 * Indexes the folder(s) and returns the dataset. Errors in the layout
 * (no folder, no class folders, an empty class) are DataFormatErrors
 * naming the folder; bad image files are found only as they are read.
 */
export async function openImageFolder(options: ImageFolderOptions): Promise<StreamingDataset> {
  const settings: ResolvedImageFolderOptions = Object.freeze({
    ...imageFolderDefaults(),
    ...dropUndefined(options),
    path: options.path,
    imageSize: options.imageSize,
  });
  checkSettings(settings);
  configureSharp();

  const root = resolve(settings.path);
  const index = await scanImageFolder(root);
  const { train, validation } = splitMembers(
    index,
    settings.validationFraction,
    settings.splitSeed,
  );

  const decodeLimit = new ConcurrencyLimit(settings.decodeConcurrency);
  // Reads are cheap and wait on the disk, so more of them may be pending.
  const readLimit = new ConcurrencyLimit(settings.decodeConcurrency * 4);
  const makeSource = (split: ImageFolderIndex, members: Uint32Array, augment: boolean) => {
    return new ImageFolderSource({
      index: split,
      members,
      imageSize: settings.imageSize,
      augment,
      resizeRatio: settings.resizeRatio,
      onBadImage: settings.onBadImage,
      reportBadImage: settings.reportBadImage,
      decodeLimit,
      readLimit,
      readAheadBatches: settings.readAheadBatches,
    });
  };

  const dataset: StreamingDataset = {
    name: basename(root),
    classNames: index.classNames,
    train: makeSource(index, train, settings.augment),
  };
  if (validation.length > 0) dataset.validation = makeSource(index, validation, false);
  if (settings.testPath !== undefined) {
    const testIndex = await scanImageFolder(resolve(settings.testPath), index.classNames);
    const everything = Uint32Array.from(testIndex.files.keys());
    dataset.test = makeSource(testIndex, everything, false);
  }
  return dataset;
}

/**
 * Sets aside round(fraction * n) images of each class of n, chosen by a
 * permutation seeded with the seed and the class name, so every class is
 * represented in proportion and adding a class moves no other class's
 * images.
 */
function splitMembers(
  index: ImageFolderIndex,
  fraction: number,
  seed: number,
): { train: Uint32Array; validation: Uint32Array } {
  const train: number[] = [];
  const validation: number[] = [];
  let start = 0;
  while (start < index.files.length) {
    const label = index.labels[start]!;
    let end = start;
    while (end < index.files.length && index.labels[end] === label) end += 1;

    const n = end - start;
    const heldOut = Math.round(fraction * n);
    const order = permutation(n, deriveSeed(seed, `validation:${index.classNames[label]}`));
    const isHeldOut = new Uint8Array(n);
    for (let i = 0; i < heldOut; i += 1) isHeldOut[order[i]!] = 1;
    for (let i = 0; i < n; i += 1) (isHeldOut[i] ? validation : train).push(start + i);
    start = end;
  }
  return { train: Uint32Array.from(train), validation: Uint32Array.from(validation) };
}

function checkSettings(settings: ResolvedImageFolderOptions): void {
  const issues: FieldIssue[] = [];
  const { imageSize, validationFraction, resizeRatio } = settings;
  if (!Number.isInteger(imageSize) || imageSize < 1) {
    issues.push({ path: 'imageSize', message: `expected a positive integer, got ${imageSize}` });
  }
  if (!(validationFraction >= 0 && validationFraction <= 0.5)) {
    issues.push({
      path: 'validationFraction',
      message: `expected a number in [0, 0.5], got ${validationFraction}`,
    });
  }
  if (!(resizeRatio >= 1)) {
    issues.push({ path: 'resizeRatio', message: `expected a number >= 1, got ${resizeRatio}` });
  }
  for (const field of ['decodeConcurrency', 'readAheadBatches'] as const) {
    const value = settings[field];
    const least = field === 'decodeConcurrency' ? 1 : 0;
    if (!Number.isInteger(value) || value < least) {
      issues.push({ path: field, message: `expected an integer >= ${least}, got ${value}` });
    }
  }
  if (issues.length > 0) throw new ValidationError('image folder options', issues);
}

// Several decodes run side by side, one per core, so libvips's own
// threads per image would only contend with them; and its operation
// cache would hold pixels of files that are not read again until the
// next epoch. Both settings are process-wide, which suits a worker whose
// only use of sharp is this.
function configureSharp(): void {
  sharp.concurrency(1);
  sharp.cache(false);
}

function warnBadImage(report: BadImageReport): void {
  process.emitWarning(`${report.file}: ${report.action} (${report.error.message})`, {
    type: 'BadImageWarning',
    code: 'HG_BAD_IMAGE',
  });
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== undefined),
  ) as Partial<T>;
}
