/**
 * Colorization after Zhang, Isola and Efros (2016): Lab conversion, the
 * in-gamut ab bins, soft encoding, class rebalancing, the loss, the
 * annealed-mean decoding and the model itself.
 */
export * from './ab-bins.ts';
export * from './annealed-mean.ts';
export * from './cielab-ops.ts';
export * from './cielab.ts';
export * from './class-rebalancing.ts';
export * from './colorization-model.ts';
export * from './mean-ab-error.ts';
export * from './rebalanced-cross-entropy.ts';
export * from './render-colorization.ts';
export * from './soft-encoding.ts';
