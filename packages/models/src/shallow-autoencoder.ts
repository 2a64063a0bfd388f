/**
 * The shallow bottleneck autoencoder: x' = DeConv(act(Conv(x))), trained to
 * reconstruct its input under an L2 (mean squared error) loss. One conv
 * with a large stride (16 by default) squeezes a 32x32x3 image into a
 * 2x2x64 code; one transposed conv with the same stride paints it back.
 */
import * as tf from '@tensorflow/tfjs-core';

import { ShapeError, ValidationError } from '@hourglass/common';
import type {
  ShallowAutoencoderSpec,
  SparseShallowAutoencoderSpec,
} from '@hourglass/specs';

import { computeAutoencoderLoss } from './autoencoder-losses.ts';
import { assertImageBatch } from './image-batch.ts';
import { applyActivation } from './layer-ops.ts';
import { createLayerVariables, disposeVariables } from './layer-variables.ts';
import { conv2dSame, conv2dTransposeSame } from './same-padding.ts';
import { tidyResult } from './tidy-result.ts';
import type {
  ForwardResult,
  LossOptions,
  LossResult,
  VisionModel,
} from './vision-model.ts';

const IMAGE_CHANNELS = 3;

/** The encoding layer before the nonlinearity: conv output, [n, h', w', c]. */
export const SHALLOW_AE_CONV_LAYER = 'encoder/conv';
/** The encoding layer after the nonlinearity: the code, [n, h', w', c]. */
export const SHALLOW_AE_CODE_LAYER = 'encoder/activation';
/** The decoder's output, the reconstruction [n, h, w, 3]. */
export const SHALLOW_AE_OUTPUT_LAYER = 'decoder/deconv';

/** Options beyond the spec for building a shallow autoencoder. */
export interface ShallowAutoencoderOptions {
  /** The run's seed; each variable draws from its own derived stream. */
  seed: number;
  /**
   * The encoder conv's padding: 'same' (default) gives a code of
   * ceil(h / stride) positions per axis, 'valid' one of
   * floor((h - kernel) / stride) + 1. The decoder always returns [h, w].
   */
  padding?: 'same' | 'valid';
}

/**
 * Builds the shallow autoencoder of `spec`, x' = DeConv(act(Conv(x))).
 * A 'sparse-shallow-ae' spec adds lambda * mean |h| to the L2 loss, with
 * h the conv output ('pre-activation') or the code ('post-activation').
 *
 * Shapes, for x [n, h, w, 3], stride s, c channels and 'same' padding:
 * - 'encoder/conv': [n, ceil(h/s), ceil(w/s), c], before the nonlinearity;
 * - 'encoder/activation': the same shape, after ReLU or sigmoid;
 * - output ('decoder/deconv'): [n, h, w, 3], linear.
 *
 * Variables: 'encoder/conv/kernel' [k, k, 3, c], 'encoder/conv/bias' [c],
 * 'decoder/deconv/kernel' [kd, kd, 3, c] (tf.conv2dTranspose's layout),
 * 'decoder/deconv/bias' [3]. Kernels are Glorot uniform, biases zero.
 */
export function createShallowAutoencoder(
  spec: ShallowAutoencoderSpec | SparseShallowAutoencoderSpec,
  options: ShallowAutoencoderOptions,
): VisionModel {
  const { channels, kernelSize, stride, decoderKernelSize, activation } = spec;
  const padding = options.padding ?? 'same';
  const sparsity = spec.family === 'sparse-shallow-ae' ? spec.sparsity : undefined;
  if (sparsity?.placement === 'post-pool') {
    throw new ValidationError('model spec', [
      { path: 'sparsity.placement', message: 'the shallow autoencoder has no pool' },
    ]);
  }

  const scope = createLayerVariables(spec.family, options.seed);
  const encoderKernel = scope.kernel('encoder/conv/kernel', [
    kernelSize,
    kernelSize,
    IMAGE_CHANNELS,
    channels,
  ]);
  const encoderBias = scope.bias('encoder/conv/bias', channels);
  const decoderKernel = scope.kernel('decoder/deconv/kernel', [
    decoderKernelSize,
    decoderKernelSize,
    IMAGE_CHANNELS,
    channels,
  ]);
  const decoderBias = scope.bias('decoder/deconv/bias', IMAGE_CHANNELS);

  // x [n, h, w, 3] -> [n, h', w', c]; 'same' is padded by hand (see
  // same-padding.ts) because the wasm backend computes it wrongly here.
  function encode(x: tf.Tensor4D): tf.Tensor4D {
    const conv =
      padding === 'same'
        ? conv2dSame(x, encoderKernel, stride)
        : tf.conv2d(x, encoderKernel, stride, 'valid');
    return tf.add(conv, encoderBias);
  }

  // code [n, h', w', c] -> [n, height, width, 3], linear.
  function decode(code: tf.Tensor4D, size: [number, number]): tf.Tensor4D {
    const painted = conv2dTransposeSame(code, decoderKernel, size, stride);
    return tf.add(painted, decoderBias);
  }

  function forward(x: tf.Tensor4D): ForwardResult {
    assertImageBatch('ShallowAutoencoder.forward', x);
    const [, height = 0, width = 0] = x.shape;
    if (padding === 'valid' && Math.min(height, width) < kernelSize) {
      const expected = `[n, >=${kernelSize}, >=${kernelSize}, 3]`;
      throw new ShapeError('ShallowAutoencoder.forward', expected, x.shape);
    }

    const conv = encode(x);
    const code = applyActivation(conv, activation);
    const output = decode(code, [height, width]);
    return {
      output,
      layers: {
        [SHALLOW_AE_CONV_LAYER]: conv,
        [SHALLOW_AE_CODE_LAYER]: code,
        [SHALLOW_AE_OUTPUT_LAYER]: output,
      },
    };
  }

  function computeLoss(
    x: tf.Tensor4D,
    _labels?: tf.Tensor,
    _options?: LossOptions,
  ): LossResult {
    assertImageBatch('ShallowAutoencoder.computeLoss', x);
    return tidyResult(() => {
      const { output, layers } = forward(x);
      if (sparsity === undefined) return computeAutoencoderLoss(output, x);
      const hidden =
        sparsity.placement === 'pre-activation'
          ? layers[SHALLOW_AE_CONV_LAYER]!
          : layers[SHALLOW_AE_CODE_LAYER]!;
      return computeAutoencoderLoss(output, x, { hidden, penalty: sparsity });
    });
  }

  return {
    family: spec.family,
    variables: scope.variables,
    variableNames: scope.names,
    encodingLayers: [SHALLOW_AE_CONV_LAYER, SHALLOW_AE_CODE_LAYER],
    forward,
    computeLoss,
    firstLayerKernels: () => tf.clone(encoderKernel),
    dispose: () => disposeVariables(scope.variables),
  };
}
