/**
 * The deep symmetric ("hourglass") autoencoder. The encoder repeats a
 * stage of a stride-1 conv with a nonlinearity and a 2x2 pool; the decoder
 * is its mirror image, layer for layer: a learned 2x2 stride-2 transposed
 * conv undoes each pool and a stride-1 transposed conv undoes each conv,
 * so decoder layer n - i has the shape of encoder layer i (layer 0 being
 * the image, n the waist). L2 reconstruction loss, plus lambda * mean |h|
 * on the waist when the spec asks for waist sparsity.
 */
import * as tf from '@tensorflow/tfjs-core';

import { deepAutoencoderWidths, type DeepAutoencoderSpec } from '@hourglass/specs';

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

const FAMILY = 'deep-ae';
const IMAGE_CHANNELS = 3;
const POOL_SIZE = 2;

/**
 * The encoder's layers in order: for each stage i (1-based) its conv
 * 'encoder/stage<i>/conv' (after the nonlinearity) and its pool
 * 'encoder/stage<i>/pool'. The last one is the waist.
 */
export function listDeepEncoderLayers(depth: number): string[] {
  return Array.from({ length: depth }, (_, i) => [
    `encoder/stage${i + 1}/conv`,
    `encoder/stage${i + 1}/pool`,
  ]).flat();
}

/**
 * The decoder's layers in order, from the waist outwards: for each stage
 * i from depth down to 1, 'decoder/stage<i>/unpool' (mirrors the pool)
 * and 'decoder/stage<i>/deconv' (mirrors the conv). The last one is the
 * reconstruction.
 */
export function listDeepDecoderLayers(depth: number): string[] {
  return Array.from({ length: depth }, (_, i) => [
    `decoder/stage${depth - i}/unpool`,
    `decoder/stage${depth - i}/deconv`,
  ]).flat();
}

// One encoder stage's variables, and those of its mirror in the decoder.
interface Stage {
  conv: { kernel: tf.Variable<tf.Rank.R4>; bias: tf.Variable<tf.Rank.R1> };
  unpool: { kernel: tf.Variable<tf.Rank.R4>; bias: tf.Variable<tf.Rank.R1> };
  deconv: { kernel: tf.Variable<tf.Rank.R4>; bias: tf.Variable<tf.Rank.R1> };
}

/**
 * Builds the deep autoencoder of `spec`, initialised from `seed`.
 *
 * Shapes, for x [n, h, w, 3] and stage widths c1..cd (s_i = h / 2^i and
 * w / 2^i, rounded up at every stage):
 * - 'encoder/stage<i>/conv': [n, s_(i-1), ., c_i];
 * - 'encoder/stage<i>/pool': [n, s_i, ., c_i]; stage d's is the waist;
 * - 'decoder/stage<i>/unpool': [n, s_(i-1), ., c_i];
 * - 'decoder/stage<i>/deconv': [n, s_(i-1), ., c_(i-1)], c_0 = 3; stage
 *   1's is the output [n, h, w, 3], linear.
 *
 * Variables per stage i: 'encoder/stage<i>/conv/kernel' [k, k, c_(i-1),
 * c_i] and bias [c_i]; 'decoder/stage<i>/unpool/kernel' [2, 2, c_i, c_i]
 * and bias [c_i]; 'decoder/stage<i>/deconv/kernel' [k, k, c_(i-1), c_i]
 * and bias [c_(i-1)]. Encoder stages first, then the decoder's from the
 * waist out.
 */
export function createDeepAutoencoder(
  spec: DeepAutoencoderSpec,
  options: { seed: number },
): VisionModel {
  const { kernelSize: k, activation, pool, waistSparsity } = spec;
  const widths = deepAutoencoderWidths(spec);
  const depth = widths.length;
  const inputWidth = (i: number) => (i === 0 ? IMAGE_CHANNELS : widths[i - 1]!);

  const scope = createLayerVariables(FAMILY, options.seed);
  const layer = (name: string, shape: [number, number, number, number], bias: number) => ({
    kernel: scope.kernel(`${name}/kernel`, shape),
    bias: scope.bias(`${name}/bias`, bias),
  });
  // Created encoder first, then the decoder from the waist out.
  const convs = widths.map((width, i) =>
    layer(`encoder/stage${i + 1}/conv`, [k, k, inputWidth(i), width], width),
  );
  const mirrors = [...widths.keys()].reverse().map((i) => {
    const width = widths[i]!;
    const prefix = `decoder/stage${i + 1}`;
    return {
      unpool: layer(`${prefix}/unpool`, [POOL_SIZE, POOL_SIZE, width, width], width),
      deconv: layer(`${prefix}/deconv`, [k, k, inputWidth(i), width], inputWidth(i)),
    };
  });
  const stages: Stage[] = convs.map((conv, i) => ({ conv, ...mirrors[depth - 1 - i]! }));
  const encoderLayers = listDeepEncoderLayers(depth);
  const waistLayer = encoderLayers[encoderLayers.length - 1]!;

  function forward(x: tf.Tensor4D): ForwardResult {
    assertImageBatch('DeepAutoencoder.forward', x);
    const layers: Record<string, tf.Tensor> = {};

    // Encoder: remember each stage's input size, which its mirror restores.
    const sizes: [number, number][] = [];
    let h = x;
    stages.forEach((stage, i) => {
      const [, height = 0, width = 0] = h.shape;
      sizes.push([height, width]);
      const conv = conv2dSame(h, stage.conv.kernel, 1);
      const activated = applyActivation(
        tf.add<tf.Tensor4D>(conv, stage.conv.bias),
        activation,
      );
      h = poolSame(activated, pool, POOL_SIZE);
      layers[`encoder/stage${i + 1}/conv`] = activated;
      layers[`encoder/stage${i + 1}/pool`] = h;
    });

    // Decoder: the same stages from the waist out.
    for (let i = depth - 1; i >= 0; i -= 1) {
      const stage = stages[i]!;
      const size = sizes[i]!;
      const unpooled = tf.add<tf.Tensor4D>(
        conv2dTransposeSame(h, stage.unpool.kernel, size, POOL_SIZE),
        stage.unpool.bias,
      );
      const unpool = applyActivation(unpooled, activation);
      const deconv = tf.add<tf.Tensor4D>(
        conv2dTransposeSame(unpool, stage.deconv.kernel, size, 1),
        stage.deconv.bias,
      );
      h = i === 0 ? deconv : applyActivation(deconv, activation);
      layers[`decoder/stage${i + 1}/unpool`] = unpool;
      layers[`decoder/stage${i + 1}/deconv`] = h;
    }
    return { output: h, layers };
  }

  function computeLoss(
    x: tf.Tensor4D,
    _labels?: tf.Tensor,
    _options?: LossOptions,
  ): LossResult {
    assertImageBatch('DeepAutoencoder.computeLoss', x);
    return tidyResult(() => {
      const { output, layers } = forward(x);
      if (waistSparsity === undefined) return computeAutoencoderLoss(output, x);
      const hidden = layers[waistLayer]!;
      return computeAutoencoderLoss(output, x, { hidden, penalty: waistSparsity });
    });
  }

  return {
    family: FAMILY,
    variables: scope.variables,
    variableNames: scope.names,
    encodingLayers: encoderLayers,
    forward,
    computeLoss,
    firstLayerKernels: () => tf.clone(stages[0]!.conv.kernel),
    dispose: () => disposeVariables(scope.variables),
  };
}
