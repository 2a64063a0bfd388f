import { z } from 'zod';

const positiveInt = z.number().int().positive();

/**
 * Colorization after Zhang, Isola and Efros (ECCV 2016): from the L
 * channel of Lab, a conv encoder-decoder predicts a distribution over the
 * quantized in-gamut ab bins at a quarter of the input's resolution,
 * trained with a class-rebalanced multinomial cross-entropy and decoded
 * by the annealed mean. Defaults are the paper's values, except the
 * network, which is a small one for 32x32 images.
 */
export const ColorizationSpec = z.object({
  family: z.literal('colorization'),
  /** Channels of the first encoder stage; later stages have 2x and 4x. */
  channels: positiveInt.default(32),
  /** Side of the encoder's convolution kernels. */
  kernelSize: positiveInt.default(3),
  /** The ab grid step of the bins. */
  gridSize: z.number().int().min(5).max(40).default(10),
  /**
   * Which ab bins the model predicts: the paper's published 313
   * ('zhang-2016', grid 10 only), or those computed from the sRGB gamut
   * ('srgb': 309 at grid 10, any grid size).
   */
  binSet: z.enum(['zhang-2016', 'srgb']).default('zhang-2016'),
  /** Nearest bins that share a pixel's soft-encoded target. */
  softEncodingNeighbors: positiveInt.max(16).default(5),
  /** Standard deviation of the soft encoding's Gaussian, in ab units. */
  softEncodingSigma: z.number().positive().default(5),
  /** Standard deviation of the Gaussian that smooths the bin prior. */
  rebalancingSigma: z.number().positive().default(5),
  /** Weight of the uniform distribution mixed into the prior, (0, 1]. */
  rebalancingLambda: z.number().gt(0).max(1).default(0.5),
  /** Annealed-mean temperature: 1 is the mean, towards 0 the mode. */
  temperature: z.number().positive().max(1).default(0.38),
});
export type ColorizationSpec = z.output<typeof ColorizationSpec>;
