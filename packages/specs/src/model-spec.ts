import { z } from 'zod';

import { ColorizationSpec } from './colorization-spec.ts';

const positiveInt = z.number().int().positive();

/** The nonlinearity of an autoencoder's hidden layer. */
export const Activation = z.enum(['relu', 'sigmoid']);
export type Activation = z.output<typeof Activation>;

/** How a pooling layer summarises each window. */
export const PoolKind = z.enum(['max', 'average']);
export type PoolKind = z.output<typeof PoolKind>;

/**
 * Where a sparse autoencoder's L1 penalty reads the hidden units: the conv
 * output before the nonlinearity, the code after it, or (pooled
 * autoencoders only) the pooled code.
 */
export const SparsityPlacement = z.enum([
  'pre-activation',
  'post-activation',
  'post-pool',
]);
export type SparsityPlacement = z.output<typeof SparsityPlacement>;

/**
 * An L1 penalty on hidden activations: the loss gains weight * mean |h|,
 * and the fraction of units with |h| < zeroThreshold is logged.
 */
export const L1PenaltySpec = z.object({
  /** The penalty's weight, lambda in L2 + lambda * L1. */
  weight: z.number().nonnegative().default(0.01),
  /** |h| below this counts as a silent unit in the logged fraction. */
  zeroThreshold: z.number().positive().default(1e-3),
});
export type L1PenaltySpec = z.output<typeof L1PenaltySpec>;

/** The L1 penalty of a sparse autoencoder and where it applies. */
export const SparsitySpec = L1PenaltySpec.extend({
  placement: SparsityPlacement.default('post-activation'),
});
export type SparsitySpec = z.output<typeof SparsitySpec>;

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
  activation: Activation.default('relu'),
});
export type ShallowAutoencoderSpec = z.output<typeof ShallowAutoencoderSpec>;

/** The shallow autoencoder with an L1 penalty before or after act. */
export const SparseShallowAutoencoderSpec = ShallowAutoencoderSpec.extend({
  family: z.literal('sparse-shallow-ae'),
  sparsity: SparsitySpec.prefault({}),
});
export type SparseShallowAutoencoderSpec = z.output<
  typeof SparseShallowAutoencoderSpec
>;

/**
 * Pooled bottleneck autoencoder: DeConv(Pool(act(Conv(x)))), a stride-4
 * conv, a 4x4 pool, and one transposed conv (stride = stride * poolSize)
 * back to the input; L2 reconstruction loss.
 */
export const PooledAutoencoderSpec = z.object({
  family: z.literal('pooled-ae'),
  channels: positiveInt.default(64),
  kernelSize: positiveInt.default(7),
  stride: positiveInt.default(4),
  pool: PoolKind.default('max'),
  /** Side of the pooling window, which is also its stride. */
  poolSize: positiveInt.default(4),
  decoderKernelSize: positiveInt.default(16),
  activation: Activation.default('relu'),
});
export type PooledAutoencoderSpec = z.output<typeof PooledAutoencoderSpec>;

/** The pooled autoencoder with an L1 penalty before/after act or pool. */
export const SparsePooledAutoencoderSpec = PooledAutoencoderSpec.extend({
  family: z.literal('sparse-pooled-ae'),
  sparsity: SparsitySpec.prefault({}),
});
export type SparsePooledAutoencoderSpec = z.output<
  typeof SparsePooledAutoencoderSpec
>;

/**
 * Deep symmetric ("hourglass") autoencoder: `depth` encoder stages of a
 * stride-1 conv and a 2x2 pool, and a decoder that mirrors them layer for
 * layer; L2 reconstruction, plus an optional L1 penalty at the waist.
 */
export const DeepAutoencoderSpec = z.object({
  family: z.literal('deep-ae'),
  /** Encoder stages; each halves the feature map. */
  depth: positiveInt.max(10).default(3),
  /** Width of stage i when `channels` is absent: baseChannels * 2^i. */
  baseChannels: positiveInt.default(16),
  /** Explicit stage widths, one per stage (length = depth). */
  channels: z.array(positiveInt).min(1).optional(),
  kernelSize: positiveInt.default(3),
  pool: PoolKind.default('max'),
  activation: Activation.default('relu'),
  /** An L1 penalty on the waist (the last pool's output); none if absent. */
  waistSparsity: L1PenaltySpec.optional(),
});
export type DeepAutoencoderSpec = z.output<typeof DeepAutoencoderSpec>;

/**
 * Variational autoencoder (Kingma and Welling 2014): stride-2 conv encoder
 * to the mean and log-variance of a Gaussian latent, a reparameterised
 * sample, a mirrored decoder; loss = reconstruction + beta * KL.
 */
export const VariationalAutoencoderSpec = z.object({
  family: z.literal('vae'),
  /** Widths of the encoder's stride-2 convs; the length is the depth. */
  channels: z.array(positiveInt).min(1).max(8).default([32, 64, 128]),
  kernelSize: positiveInt.default(4),
  latentSize: positiveInt.max(4096).default(64),
  /** Weight of the KL term (1: the plain negative ELBO). */
  beta: z.number().nonnegative().default(1),
  /** p(x|z): Bernoulli on pixel intensities, or Gaussian with outputSd. */
  likelihood: z.enum(['bernoulli', 'gaussian']).default('bernoulli'),
  /** The Gaussian likelihood's fixed standard deviation. */
  outputSd: z.number().positive().default(0.1),
});
export type VariationalAutoencoderSpec = z.output<
  typeof VariationalAutoencoderSpec
>;

/**
 * The supervised baseline: an AlexNet-style classifier (Krizhevsky,
 * Sutskever and Hinton 2012), 5 convs and 3 fully connected layers,
 * cross-entropy on labels. 'full' is the 224px ImageNet layout, 'small'
 * a scaled-down layout for 32px images.
 */
export const AlexNetSpec = z.object({
  family: z.literal('alexnet'),
  variant: z.enum(['small', 'full']).default('small'),
  classCount: positiveInt.min(2).default(10),
  /** Scales every conv and fully connected width (at least 1 unit). */
  widthMultiplier: z.number().positive().max(4).default(1),
  /** Dropout before fc7 and fc8 while training. */
  dropoutRate: z.number().min(0).lt(1).default(0.5),
});
export type AlexNetSpec = z.output<typeof AlexNetSpec>;

/** Every model family a run can train, chosen by `family`. */
export const ModelSpec = z.discriminatedUnion('family', [
  ShallowAutoencoderSpec,
  SparseShallowAutoencoderSpec,
  PooledAutoencoderSpec,
  SparsePooledAutoencoderSpec,
  DeepAutoencoderSpec,
  VariationalAutoencoderSpec,
  AlexNetSpec,
  ColorizationSpec,
]);
export type ModelSpec = z.output<typeof ModelSpec>;
export type ModelFamily = ModelSpec['family'];

/** One reason a model spec cannot run at an image size. */
export interface ModelSpecIssue {
  /** Path inside the model spec, such as ['poolSize']. */
  path: (string | number)[];
  message: string;
}

/**
 * The feature-map sides of a chain of stride-2 stages on a `size` input:
 * [size, ceil(size / 2), ...], depth + 1 entries. Shared by the spec
 * checks and the models, so both agree on every shape.
 */
export function computeHalvingSizes(size: number, depth: number): number[] {
  const sizes = [size];
  for (let i = 0; i < depth; i += 1) sizes.push(Math.ceil(sizes[i]! / 2));
  return sizes;
}

/** The smallest input on which `depth` stride-2 stages each get >= 2px. */
export function minimumHalvingInput(depth: number): number {
  return 2 ** depth;
}

/** Widths of the deep autoencoder's stages, explicit or baseChannels * 2^i. */
export function deepAutoencoderWidths(spec: DeepAutoencoderSpec): number[] {
  if (spec.channels !== undefined) return [...spec.channels];
  return Array.from({ length: spec.depth }, (_, i) => spec.baseChannels * 2 ** i);
}

/** Conv and fully connected widths, kernels and strides of AlexNet. */
export interface AlexNetLayout {
  convChannels: number[];
  convKernels: number[];
  /** conv1's stride; the other convs have stride 1. */
  firstStride: number;
  fcUnits: [number, number];
  /** Max pools (3x3, stride 2, no padding) follow conv1, conv2, conv5. */
  poolSize: number;
  poolStride: number;
}

/** The layer widths of an AlexNet spec, scaled by its widthMultiplier. */
export function describeAlexNet(spec: AlexNetSpec): AlexNetLayout {
  const scale = (width: number) =>
    Math.max(1, Math.round(width * spec.widthMultiplier));
  const isFull = spec.variant === 'full';
  const convChannels = isFull
    ? [96, 256, 384, 384, 256]
    : [64, 192, 384, 256, 256];
  const fcUnits: [number, number] = isFull ? [4096, 4096] : [384, 192];
  return {
    convChannels: convChannels.map(scale),
    convKernels: isFull ? [11, 5, 3, 3, 3] : [5, 5, 3, 3, 3],
    firstStride: isFull ? 4 : 1,
    fcUnits: [scale(fcUnits[0]), scale(fcUnits[1])],
    poolSize: 3,
    poolStride: 2,
  };
}

/**
 * AlexNet's feature-map sides on a `size` input: after conv1 ('same'
 * padding) and after each of its three pools ('valid'). Entries that
 * fall below 1 mean the input is too small.
 */
export function computeAlexNetSizes(layout: AlexNetLayout, size: number): {
  conv1: number;
  pools: [number, number, number];
} {
  const pool = (side: number) =>
    Math.floor((side - layout.poolSize) / layout.poolStride) + 1;
  const conv1 = Math.ceil(size / layout.firstStride);
  const pool1 = pool(conv1);
  const pool2 = pool(pool1);
  return { conv1, pools: [pool1, pool2, pool(pool2)] };
}

/**
 * What the model spec's shapes do not allow at `imageSize`: a kernel,
 * stride or pool larger than the map it meets, more stride-2 stages than
 * the input can halve, a sparsity placement the family lacks. Each issue
 * names the field to change. The run spec reports them under `model`.
 */
export function checkModelSpec(
  model: ModelSpec,
  imageSize: number,
): ModelSpecIssue[] {
  switch (model.family) {
    case 'shallow-ae':
    case 'sparse-shallow-ae':
      return checkShallow(model, imageSize);
    case 'pooled-ae':
    case 'sparse-pooled-ae':
      return checkPooled(model, imageSize);
    case 'deep-ae':
      return checkDeep(model, imageSize);
    case 'vae':
      return checkVariational(model, imageSize);
    case 'alexnet':
      return checkAlexNet(model, imageSize);
    case 'colorization':
      return checkColorization(model);
  }
}

function checkColorization(spec: ColorizationSpec): ModelSpecIssue[] {
  if (spec.binSet !== 'zhang-2016' || spec.gridSize === 10) return [];
  return [
    {
      path: ['binSet'],
      message: `the zhang-2016 bins exist for gridSize 10 only, not ${spec.gridSize}; use 'srgb'`,
    },
  ];
}

function checkStridedConv(
  spec: { kernelSize: number; stride: number },
  imageSize: number,
): ModelSpecIssue[] {
  const issues: ModelSpecIssue[] = [];
  if (spec.kernelSize > imageSize) {
    issues.push({
      path: ['kernelSize'],
      message: `kernel ${spec.kernelSize} is larger than the ${imageSize}px input`,
    });
  }
  if (spec.stride > imageSize) {
    issues.push({
      path: ['stride'],
      message: `stride ${spec.stride} is larger than the ${imageSize}px input`,
    });
  }
  return issues;
}

function checkShallow(
  spec: ShallowAutoencoderSpec | SparseShallowAutoencoderSpec,
  imageSize: number,
): ModelSpecIssue[] {
  const issues = checkStridedConv(spec, imageSize);
  if (spec.family === 'sparse-shallow-ae' && spec.sparsity.placement === 'post-pool') {
    issues.push({
      path: ['sparsity', 'placement'],
      message:
        "the shallow autoencoder has no pool; use 'pre-activation' " +
        "or 'post-activation'",
    });
  }
  return issues;
}

function checkPooled(
  spec: PooledAutoencoderSpec | SparsePooledAutoencoderSpec,
  imageSize: number,
): ModelSpecIssue[] {
  const issues = checkStridedConv(spec, imageSize);
  const featureMap = Math.ceil(imageSize / spec.stride);
  if (spec.poolSize > featureMap) {
    issues.push({
      path: ['poolSize'],
      message:
        `a ${spec.poolSize}x${spec.poolSize} pool is larger than the ` +
        `${featureMap}x${featureMap} feature map (a ${imageSize}px input ` +
        `after stride ${spec.stride})`,
    });
  }
  return issues;
}

function checkHalvingDepth(
  field: string,
  depth: number,
  imageSize: number,
): ModelSpecIssue[] {
  const sizes = computeHalvingSizes(imageSize, depth);
  const tooSmall = sizes.slice(0, depth).findIndex((side) => side < 2);
  if (tooSmall === -1) return [];
  return [
    {
      path: [field],
      message:
        `depth ${depth} needs an input of at least ` +
        `${minimumHalvingInput(depth)}px: a ${imageSize}px input is ` +
        `down to 1px before stage ${tooSmall + 1}`,
    },
  ];
}

function checkDeep(spec: DeepAutoencoderSpec, imageSize: number): ModelSpecIssue[] {
  const issues: ModelSpecIssue[] = [];
  if (spec.channels !== undefined && spec.channels.length !== spec.depth) {
    issues.push({
      path: ['channels'],
      message:
        `gives ${spec.channels.length} widths for depth ${spec.depth}; ` +
        'give one per stage',
    });
  }
  if (spec.kernelSize > imageSize) {
    issues.push({
      path: ['kernelSize'],
      message: `kernel ${spec.kernelSize} is larger than the ${imageSize}px input`,
    });
  }
  return [...issues, ...checkHalvingDepth('depth', spec.depth, imageSize)];
}

function checkVariational(
  spec: VariationalAutoencoderSpec,
  imageSize: number,
): ModelSpecIssue[] {
  const issues: ModelSpecIssue[] = [];
  if (spec.kernelSize > imageSize) {
    issues.push({
      path: ['kernelSize'],
      message: `kernel ${spec.kernelSize} is larger than the ${imageSize}px input`,
    });
  }
  return [
    ...issues,
    ...checkHalvingDepth('channels', spec.channels.length, imageSize),
  ];
}

function checkAlexNet(spec: AlexNetSpec, imageSize: number): ModelSpecIssue[] {
  const layout = describeAlexNet(spec);
  const { pools } = computeAlexNetSizes(layout, imageSize);
  if (pools[2] >= 1) return [];
  let minimum = imageSize;
  while (computeAlexNetSizes(layout, minimum).pools[2] < 1) minimum += 1;
  const hint = spec.variant === 'full' ? "; 'small' is meant for 32px" : '';
  return [
    {
      path: ['variant'],
      message:
        `the '${spec.variant}' AlexNet needs an input of at least ` +
        `${minimum}px for its three 3x3 pools; got ${imageSize}px${hint}`,
    },
  ];
}
