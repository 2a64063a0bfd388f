import { z } from 'zod';

/** Synthetic images with learnable class structure, made from a seed. */
export const GeneratedDatasetSpec = z.object({
  kind: z.literal('generated'),
  seed: z.number().int().nonnegative().default(0),
  trainSize: z.number().int().positive().max(1_000_000).default(2_000),
  testSize: z.number().int().positive().max(1_000_000).default(500),
});

// The CIFAR-10 fields beyond `kind` are optional without defaults: a spec
// stored before they existed parses to the same value (and so the same
// checkpoint fingerprint), and absent means what it meant then.

/**
 * CIFAR-10 in the official binary layout, read from a local folder, or
 * downloaded into it first when `download` is true.
 */
export const Cifar10DatasetSpec = z.object({
  kind: z.literal('cifar10'),
  path: z.string().min(1).optional(),
  /** Download and unpack the official archive when the folder lacks it. */
  download: z.boolean().optional(),
  /** Training images held out as a validation split; absent means 0. */
  validationSize: z.number().int().nonnegative().max(49_000).optional(),
  /** Seeds which training images become validation; absent means 0. */
  splitSeed: z.number().int().nonnegative().max(2 ** 32 - 1).optional(),
});

/** What happens when an image in a folder will not decode. */
export const BadImagePolicy = z.enum(['skip', 'fail']);

/**
 * ImageNet-style folders: `<path>/<class>/<image>` (JPEG or PNG), class
 * index from the sorted folder names, streamed rather than held in memory.
 * Images are resized (shorter side) and center-cropped to the run's
 * imageSize; training images get a seeded random crop and flip instead.
 */
export const ImageFolderDatasetSpec = z.object({
  kind: z.literal('image-folder'),
  path: z.string().min(1),
  /** A second folder with the same classes, used as the test split. */
  testPath: z.string().min(1).optional(),
  /** Share of each class held out for validation, seeded by splitSeed. */
  validationFraction: z.number().min(0).max(0.5).default(0),
  splitSeed: z.number().int().nonnegative().max(2 ** 32 - 1).default(0),
  /** Random crop and horizontal flip of training images. */
  augment: z.boolean().default(true),
  /**
   * With augment, training images are resized so their shorter side is
   * imageSize * resizeRatio, then cropped at a random place (about
   * 256 / 224, the usual ImageNet ratio).
   */
  resizeRatio: z.number().min(1).max(4).default(1.143),
  /** Report and skip an image that will not decode, or fail the run. */
  onBadImage: BadImagePolicy.default('skip'),
});

/** The data a run trains on, chosen by `kind`. */
export const DatasetSpec = z.discriminatedUnion('kind', [
  GeneratedDatasetSpec,
  Cifar10DatasetSpec,
  ImageFolderDatasetSpec,
]);
export type DatasetSpec = z.output<typeof DatasetSpec>;
export type GeneratedDatasetSpec = z.output<typeof GeneratedDatasetSpec>;
export type Cifar10DatasetSpec = z.output<typeof Cifar10DatasetSpec>;
/** An image-folder dataset spec with every default filled in. */
export type ImageFolderDatasetSpec = z.output<typeof ImageFolderDatasetSpec>;
/** `skip` or `fail`: what a folder dataset does with an undecodable image. */
export type BadImagePolicy = z.output<typeof BadImagePolicy>;
