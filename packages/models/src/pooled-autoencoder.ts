/**
 * The pooled bottleneck autoencoder: x' = DeConv(Pool(act(Conv(x)))), under
 * an L2 reconstruction loss. A stride-4 conv, then a non-overlapping 4x4
 * max or average pool, squeeze a 32x32x3 image into a 2x2xc code; one
 * transposed conv whose stride is the two combined (16) paints it back.
 * The sparse variant adds lambda * mean |h|, with h read before or after
 * the nonlinearity or after the pool.
 */
import * as tf from '@tensorflow/tfjs-core';

import type {
  PooledAutoencoderSpec,
  SparsePooledAutoencoderSpec,
  SparsityPlacement,
} from '@hourglass/specs';

import { computeAutoencoderLoss } from './autoencoder-losses.ts';
import { assertImageBatch } from './image-batch.ts';
import { applyActivation, poolSame } from './layer-ops.ts';
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

/** The conv output before the nonlinearity, [n, h/s, w/s, c]. */
export const POOLED_AE_CONV_LAYER = 'encoder/conv';
/** After the nonlinearity, [n, h/s, w/s, c]. */
export const POOLED_AE_ACTIVATION_LAYER = 'encoder/activation';
/** The pooled code, [n, h/(s*p), w/(s*p), c]. */
export const POOLED_AE_CODE_LAYER = 'encoder/pool';
/** The reconstruction [n, h, w, 3]. */
export const POOLED_AE_OUTPUT_LAYER = 'decoder/deconv';

// The layer each sparsity placement reads.
const PENALISED_LAYER: Record<SparsityPlacement, string> = {
  'pre-activation': POOLED_AE_CONV_LAYER,
  'post-activation': POOLED_AE_ACTIVATION_LAYER,
  'post-pool': POOLED_AE_CODE_LAYER,
};

/**
 * Builds the pooled autoencoder of `spec` ('pooled-ae' or
 * 'sparse-pooled-ae'), initialised from `seed`.
 *
 * Shapes, for x [n, h, w, 3], conv stride s, pool p and c channels (every
 * division rounds up, as 'same' padding does):
 * - 'encoder/conv', 'encoder/activation': [n, h/s, w/s, c];
 * - 'encoder/pool': [n, h/(s*p), w/(s*p), c];
 * - output ('decoder/deconv'): [n, h, w, 3], linear.
 *
 * Variables: 'encoder/conv/kernel' [k, k, 3, c], 'encoder/conv/bias' [c],
 * 'decoder/deconv/kernel' [kd, kd, 3, c], 'decoder/deconv/bias' [3].
 */
export function createPooledAutoencoder(
  spec: PooledAutoencoderSpec | SparsePooledAutoencoderSpec,
  options: { seed: number },
): VisionModel {
  const { channels, kernelSize, stride, pool, poolSize, activation } = spec;
  const sparsity = spec.family === 'sparse-pooled-ae' ? spec.sparsity : undefined;

  const scope = createLayerVariables(spec.family, options.seed);
  const encoderKernel = scope.kernel('encoder/conv/kernel', [
    kernelSize,
    kernelSize,
    IMAGE_CHANNELS,
    channels,
  ]);
  const encoderBias = scope.bias('encoder/conv/bias', channels);
  const decoderKernel = scope.kernel('decoder/deconv/kernel', [
    spec.decoderKernelSize,
    spec.decoderKernelSize,
    IMAGE_CHANNELS,
    channels,
  ]);
  const decoderBias = scope.bias('decoder/deconv/bias', IMAGE_CHANNELS);

  function forward(x: tf.Tensor4D): ForwardResult {
    assertImageBatch('PooledAutoencoder.forward', x);
    const [, height = 0, width = 0] = x.shape;

    const conv = tf.add<tf.Tensor4D>(conv2dSame(x, encoderKernel, stride), encoderBias);
    const hidden = applyActivation(conv, activation);
    const code = poolSame(hidden, pool, poolSize);
    // One transposed conv undoes conv and pool together: its stride is
    // theirs combined, and its output is cropped to the input's size.
    const painted = conv2dTransposeSame(
      code,
      decoderKernel,
      [height, width],
      stride * poolSize,
    );
    const output = tf.add(painted, decoderBias);
    return {
      output,
      layers: {
        [POOLED_AE_CONV_LAYER]: conv,
        [POOLED_AE_ACTIVATION_LAYER]: hidden,
        [POOLED_AE_CODE_LAYER]: code,
        [POOLED_AE_OUTPUT_LAYER]: output,
      },
    };
  }

  function computeLoss(
    x: tf.Tensor4D,
    _labels?: tf.Tensor,
    _options?: LossOptions,
  ): LossResult {
    assertImageBatch('PooledAutoencoder.computeLoss', x);
    return tidyResult(() => {
      const { output, layers } = forward(x);
      if (sparsity === undefined) return computeAutoencoderLoss(output, x);
      const hidden = layers[PENALISED_LAYER[sparsity.placement]]!;
      return computeAutoencoderLoss(output, x, { hidden, penalty: sparsity });
    });
  }

  return {
    family: spec.family,
    variables: scope.variables,
    variableNames: scope.names,
    encodingLayers: [
      POOLED_AE_CONV_LAYER,
      POOLED_AE_ACTIVATION_LAYER,
      POOLED_AE_CODE_LAYER,
    ],
    forward,
    computeLoss,
    firstLayerKernels: () => tf.clone(encoderKernel),
    dispose: () => disposeVariables(scope.variables),
  };
}
