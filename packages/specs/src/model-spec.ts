import { z } from 'zod';

const positiveInt = z.number().int().positive();

/**
 * Shallow bottleneck autoencoder: DeConv(act(Conv(x))), one strided conv
 * whose output is the bottleneck, L2 reconstruction loss.
 */
export const ShallowAutoencoderSpec = z.object({
  family: z.literal('shallow-ae'),
  channels: positiveInt.default(64),
  kernelSize: positiveInt.default(7),
  stride: positiveInt.default(16),
  /** The transposed conv's kernel; as large as the stride, each unit paints its own tile. */
  decoderKernelSize: positiveInt.default(16),
  activation: z.enum(['relu', 'sigmoid']).default('relu'),
});
export type ShallowAutoencoderSpec = z.output<typeof ShallowAutoencoderSpec>;

/** Every model family a run can train, chosen by `family`. */
export const ModelSpec = z.discriminatedUnion('family', [ShallowAutoencoderSpec]);
export type ModelSpec = z.output<typeof ModelSpec>;
export type ModelFamily = ModelSpec['family'];
