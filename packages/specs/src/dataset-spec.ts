import { z } from 'zod';

/** Synthetic images with learnable class structure, made from a seed. */
export const GeneratedDatasetSpec = z.object({
  kind: z.literal('generated'),
  seed: z.number().int().nonnegative().default(0),
  trainSize: z.number().int().positive().max(1_000_000).default(2_000),
  testSize: z.number().int().positive().max(1_000_000).default(500),
});

/** CIFAR-10 in the official binary layout, read from a local folder. */
export const Cifar10DatasetSpec = z.object({
  kind: z.literal('cifar10'),
  path: z.string().min(1).optional(),
});

/** The data a run trains on, chosen by `kind`. */
export const DatasetSpec = z.discriminatedUnion('kind', [
  GeneratedDatasetSpec,
  Cifar10DatasetSpec,
]);
export type DatasetSpec = z.output<typeof DatasetSpec>;
export type GeneratedDatasetSpec = z.output<typeof GeneratedDatasetSpec>;
export type Cifar10DatasetSpec = z.output<typeof Cifar10DatasetSpec>;
