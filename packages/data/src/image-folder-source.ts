/**
 * One split of an image folder as an ImageSource: each batch reads its
 * files, decodes them with sharp (decode-images.ts), and resizes and
 * crops them into the batch (resample.ts). Nothing is kept between
 * batches but the names of files found to be bad.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { DataFormatError, createRandom, toError } from '@hourglass/common';
import type { BadImagePolicy } from '@hourglass/specs';

import type { ConcurrencyLimit } from './concurrency-limit.ts';
import { decodeImages, type EncodedImage } from './decode-images.ts';
import type { Batch } from './gather-batch.ts';
import type { ImageFolderIndex } from './image-folder-scan.ts';
import { readImageHeader } from './image-header.ts';
import type { ImageSource } from './image-source.ts';
import { placeImage, type CropPlan, type DecodedImage } from './resample.ts';

/** An image that would not read or decode, as reported to the caller. */
export interface BadImageReport {
  file: string;
  error: Error;
  /** 'skipped': another image took its place; 'failed': the read failed. */
  action: 'skipped' | 'failed';
}

/** How one split of a folder is read. */
export interface ImageFolderSourceOptions {
  index: ImageFolderIndex;
  /** Which entries of `index` form this split, in order. */
  members: Uint32Array;
  /** Side of the square images produced. */
  imageSize: number;
  /** Random crop and flip (training); center crop if false. */
  augment: boolean;
  /** With augment, the shorter side is resized to imageSize * this first. */
  resizeRatio: number;
  onBadImage: BadImagePolicy;
  /** Told of each bad file once. */
  reportBadImage: (report: BadImageReport) => void;
  /** Shared by every split of the folder: decodes in flight at once. */
  decodeLimit: ConcurrencyLimit;
  /** Shared likewise: file reads in flight at once. */
  readLimit: ConcurrencyLimit;
  readAheadBatches: number;
}

const CHANNELS = 3;

/**
 * Reads batches from a folder split. A bad image is reported once and,
 * under 'skip', replaced by the next good image of the split (the next
 * member, wrapping round), so batches stay full and the replacement
 * depends only on which files are bad, never on timing. Under 'fail' the
 * batch rejects with a DataFormatError naming the file.
 */
export class ImageFolderSource implements ImageSource {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels = CHANNELS;
  readonly readAheadBatches: number;

  private readonly options: ImageFolderSourceOptions;
  /** The shorter side images are scaled to before cropping. */
  private readonly shorterSide: number;
  private readonly badMembers = new Set<number>();

  constructor(options: ImageFolderSourceOptions) {
    this.options = options;
    this.count = options.members.length;
    this.height = options.imageSize;
    this.width = options.imageSize;
    this.readAheadBatches = options.readAheadBatches;
    const ratio = options.augment ? options.resizeRatio : 1;
    this.shorterSide = Math.max(options.imageSize, Math.round(options.imageSize * ratio));
  }

  /** Files found bad so far, as paths under the folder's root. */
  get badFiles(): string[] {
    return [...this.badMembers].map((member) => this.fileOf(member));
  }

  async readBatch(indices: Uint32Array, augmentSeed: number): Promise<Batch> {
    const { imageSize } = this.options;
    const imageLength = imageSize * imageSize * CHANNELS;
    const pixels = new Float32Array(indices.length * imageLength);
    const labels = new Int32Array(indices.length);
    const plans = this.drawPlans(indices.length, augmentSeed);

    const decoded = await this.decodeMembers(indices);
    for (let i = 0; i < indices.length; i += 1) {
      let member = indices[i]!;
      let image = decoded[i]!;
      while (image instanceof Error) {
        this.handleBadImage(member, image);
        member = this.nextCandidate(member);
        image = (await this.decodeMembers(Uint32Array.of(member)))[0]!;
      }
      labels[i] = this.options.index.labels[this.options.members[member]!]!;
      placeImage(image, plans[i]!, imageSize, pixels, i * imageLength);
    }

    return { pixels, labels, shape: [indices.length, imageSize, imageSize, CHANNELS] };
  }

  /** Every image's crop, drawn up front so decode order cannot change it. */
  private drawPlans(n: number, augmentSeed: number): CropPlan[] {
    const { shorterSide } = this;
    if (!this.options.augment) {
      return Array.from({ length: n }, () => ({
        shorterSide,
        x: 0.5,
        y: 0.5,
        isFlipped: false,
      }));
    }
    const random = createRandom(augmentSeed);
    return Array.from({ length: n }, () => ({
      shorterSide,
      x: random(),
      y: random(),
      isFlipped: random() < 0.5,
    }));
  }

  private async decodeMembers(members: Uint32Array): Promise<(DecodedImage | Error)[]> {
    const encoded = await Promise.all(
      Array.from(members, (member) => this.readMember(member)),
    );

    // Files that could not be read skip the decoder and keep their error.
    const readable = encoded.filter((item): item is EncodedImage => !(item instanceof Error));
    const decoded = await decodeImages(readable, this.shorterSide, this.options.decodeLimit);
    let next = 0;
    return encoded.map((item) => (item instanceof Error ? item : decoded[next++]!));
  }

  private async readMember(member: number): Promise<EncodedImage | Error> {
    if (this.badMembers.has(member)) return new Error('already found bad');
    const file = join(this.options.index.root, this.fileOf(member));
    try {
      const bytes = await this.options.readLimit.run(() => readFile(file));
      return { bytes, header: readImageHeader(bytes) };
    } catch (error) {
      return toError(error);
    }
  }

  private handleBadImage(member: number, error: Error): void {
    const file = join(this.options.index.root, this.fileOf(member));
    if (this.options.onBadImage === 'fail') {
      this.options.reportBadImage({ file, error, action: 'failed' });
      throw new DataFormatError(file, `cannot decode image: ${error.message}`, {
        cause: error,
      });
    }
    if (this.badMembers.has(member)) return;

    this.badMembers.add(member);
    this.options.reportBadImage({ file, error, action: 'skipped' });
    if (this.badMembers.size === this.count) {
      throw new DataFormatError(
        this.options.index.root,
        `none of the ${this.count} images of this split could be decoded`,
      );
    }
  }

  private nextCandidate(member: number): number {
    let candidate = member;
    do {
      candidate = (candidate + 1) % this.count;
    } while (this.badMembers.has(candidate));
    return candidate;
  }

  private fileOf(member: number): string {
    return this.options.index.files[this.options.members[member]!]!;
  }
}
