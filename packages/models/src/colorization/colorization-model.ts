/**
 * The colorization model of Zhang, Isola and Efros, "Colorful Image
 * Colorization" (ECCV 2016), scaled down for small images: from the
 * lightness L of an image, a conv encoder-decoder predicts, per pixel at
 * a quarter of the input's resolution, a distribution over the Q
 * in-gamut ab bins (ab-bins.ts). It is trained with the class-rebalanced
 * cross-entropy against soft-encoded true colours, and decoded by the
 * annealed mean (T = 0.38), upsampled and joined to L. The mean ab error
 * of the decoded colours is logged beside the loss, and held out.
 *
 * The paper's network is a VGG-style stack with batch norm and dilated
 * convolutions; this one keeps its shape (downsample by 8, upsample by
 * 2 to a quarter, 1x1 conv to Q logits) with one conv per stage.
 */
import * as tf from '@tensorflow/tfjs-core';

import { ShapeError, deriveSeed } from '@hourglass/common';
import type { ColorizationSpec } from '@hourglass/specs';

import { glorotUniformKernel } from '../glorot-uniform.ts';
import { assertImageBatch } from '../image-batch.ts';
import { createModelVariables } from '../model-variables.ts';
import { conv2dSame, conv2dTransposeSame } from '../same-padding.ts';
import type {
  ForwardResult,
  LossResult,
  VisionModel,
} from '../vision-model.ts';

import { computeAbBins } from './ab-bins.ts';
import { computeAnnealedMeanAb } from './annealed-mean.ts';
import { convertSrgbImagesToLab } from './cielab-ops.ts';
import { computeMeanAbError } from './mean-ab-error.ts';
import { computeRebalancedCrossEntropy } from './rebalanced-cross-entropy.ts';
import { renderColorization, upsampleAb } from './render-colorization.ts';
import { createAbBinCentersTensor, encodeAbTargets } from './soft-encoding.ts';

const FAMILY = 'colorization';

/** How much smaller than the input the predicted distribution is. */
export const COLORIZATION_OUTPUT_STRIDE = 4;

/** Encoding layers, after ReLU: [n, h/2, w/2, c]. */
export const COLORIZATION_CONV1_LAYER = 'encoder/conv1';
/** [n, h/4, w/4, 2c]. */
export const COLORIZATION_CONV2_LAYER = 'encoder/conv2';
/** [n, h/8, w/8, 4c]. */
export const COLORIZATION_CONV3_LAYER = 'encoder/conv3';
/** [n, h/8, w/8, 4c]: the deepest encoding layer. */
export const COLORIZATION_CONV4_LAYER = 'encoder/conv4';
/** The decoder's upsampled features, after ReLU: [n, h/4, w/4, 2c]. */
export const COLORIZATION_DECONV_LAYER = 'decoder/deconv';
/** The logits over the ab bins: [n, h/4, w/4, Q]. */
export const COLORIZATION_LOGITS_LAYER = 'decoder/logits';
/** The annealed-mean ab, upsampled to the input: [n, h, w, 2]. */
export const COLORIZATION_AB_LAYER = 'decoder/ab';
/**
 * The metric computeLoss and computeValidationMetrics report: the mean ab
 * error of the decoded colours (mean-ab-error.ts), in Lab units.
 */
export const COLORIZATION_AB_ERROR_METRIC = 'ab_error';

// The paper centres L (in [0, 100]) on 50; dividing by 50 puts it in [-1, 1].
const LIGHTNESS_CENTER = 50;
const LIGHTNESS_SCALE = 50;
const DECONV_KERNEL_SIZE = 4;

/** Options beyond the spec for building a colorization model. */
export interface ColorizationModelOptions {
  /** The run's seed; each variable draws from its own derived stream. */
  seed: number;
  /**
   * The class-rebalancing weights, one per ab bin (Q of them), computed
   * once from the training set by `computeRebalancingWeights`; weights
   * of 1 (`createUniformRebalancingWeights`) give the plain loss.
   */
  rebalancingWeights: Float32Array;
}

/**
 * Builds the colorization model of `spec`.
 *
 * Shapes, for x [n, h, w, 3] (sRGB in [0, 1]), c = spec.channels, Q bins
 * and '/' rounding up:
 * - input: L [n, h, w, 1], as (L - 50) / 50;
 * - 'encoder/conv1' [n, h/2, w/2, c], stride 2;
 * - 'encoder/conv2' [n, h/4, w/4, 2c], stride 2;
 * - 'encoder/conv3' [n, h/8, w/8, 4c], stride 2;
 * - 'encoder/conv4' [n, h/8, w/8, 4c], stride 1;
 * - 'decoder/deconv' [n, h/4, w/4, 2c], transposed conv 4x4, stride 2;
 * - 'decoder/logits' [n, h/4, w/4, Q], 1x1 conv, linear;
 * - 'decoder/ab' [n, h, w, 2], the annealed mean, upsampled;
 * - output: the colorized image [n, h, w, 3], sRGB in [0, 1].
 * Every conv but the last is followed by ReLU. Kernels are Glorot
 * uniform, biases zero.
 *
 * computeLoss gives the term 'cross_entropy' and the metric 'ab_error';
 * computeValidationMetrics gives 'ab_error' and ignores the labels.
 */
export function createColorizationModel(
  spec: ColorizationSpec,
  options: ColorizationModelOptions,
): VisionModel {
  const { channels, kernelSize, temperature } = spec;
  const bins = computeAbBins(spec.gridSize, spec.binSet);
  if (options.rebalancingWeights.length !== bins.count) {
    throw new ShapeError(
      'createColorizationModel',
      `rebalancing weights [${bins.count}]`,
      [options.rebalancingWeights.length],
    );
  }
  const softEncoding = {
    neighbors: spec.softEncodingNeighbors,
    sigma: spec.softEncodingSigma,
  };
  const initSeed = deriveSeed(options.seed, 'init');

  const scope = createModelVariables(FAMILY);
  const addConv = (
    name: string,
    shape: [number, number, number, number],
    biasSize: number,
  ) => ({
    kernel: scope.add(
      `${name}/kernel`,
      glorotUniformKernel(shape, deriveSeed(initSeed, `${name}/kernel`)),
      shape,
    ) as tf.Variable<tf.Rank.R4>,
    bias: scope.add(`${name}/bias`, new Float32Array(biasSize), [biasSize]),
  });

  const k = kernelSize;
  const conv1 = addConv(
    COLORIZATION_CONV1_LAYER,
    [k, k, 1, channels],
    channels,
  );
  const conv2 = addConv(
    COLORIZATION_CONV2_LAYER,
    [k, k, channels, 2 * channels],
    2 * channels,
  );
  const conv3 = addConv(
    COLORIZATION_CONV3_LAYER,
    [k, k, 2 * channels, 4 * channels],
    4 * channels,
  );
  const conv4 = addConv(
    COLORIZATION_CONV4_LAYER,
    [k, k, 4 * channels, 4 * channels],
    4 * channels,
  );
  // tf.conv2dTranspose's layout: [k, k, out, in].
  const deconv = addConv(
    COLORIZATION_DECONV_LAYER,
    [DECONV_KERNEL_SIZE, DECONV_KERNEL_SIZE, 2 * channels, 4 * channels],
    2 * channels,
  );
  const logitsConv = addConv(
    COLORIZATION_LOGITS_LAYER,
    [1, 1, 2 * channels, bins.count],
    bins.count,
  );

  // Constants of the model, freed with it.
  const centers = createAbBinCentersTensor(bins);
  const weights: tf.Tensor = tf.tensor1d(options.rebalancingWeights);

  // rgb [n, h, w, 3] -> Lab [n, h, w, 3], L [n, h, w, 1], ab [n, h, w, 2].
  function splitLab(x: tf.Tensor4D) {
    const lab = convertSrgbImagesToLab(x);
    const [lightness, ab] = tf.split(lab, [1, 2], 3) as [
      tf.Tensor4D,
      tf.Tensor4D,
    ];
    lab.dispose();
    return { lightness, ab };
  }

  // L [n, h, w, 1] -> every layer up to the logits [n, h/4, w/4, Q].
  function predictLogits(lightness: tf.Tensor4D): Record<string, tf.Tensor4D> {
    const [, height = 0, width = 0] = lightness.shape;
    const input = tf.div(
      tf.sub(lightness, LIGHTNESS_CENTER),
      LIGHTNESS_SCALE,
    ) as tf.Tensor4D;

    const convRelu = (
      x: tf.Tensor4D,
      layer: { kernel: tf.Tensor4D; bias: tf.Tensor },
      stride: number,
    ) =>
      tf.relu(
        tf.add(conv2dSame(x, layer.kernel, stride), layer.bias),
      ) as tf.Tensor4D;
    const h1 = convRelu(input, conv1, 2);
    const h2 = convRelu(h1, conv2, 2);
    const h3 = convRelu(h2, conv3, 2);
    const h4 = convRelu(h3, conv4, 1);

    const quarter: [number, number] = [
      Math.ceil(height / COLORIZATION_OUTPUT_STRIDE),
      Math.ceil(width / COLORIZATION_OUTPUT_STRIDE),
    ];
    const up = tf.relu(
      tf.add(conv2dTransposeSame(h4, deconv.kernel, quarter, 2), deconv.bias),
    ) as tf.Tensor4D;
    const logits = tf.add(
      conv2dSame(up, logitsConv.kernel, 1),
      logitsConv.bias,
    ) as tf.Tensor4D;
    return {
      [COLORIZATION_CONV1_LAYER]: h1,
      [COLORIZATION_CONV2_LAYER]: h2,
      [COLORIZATION_CONV3_LAYER]: h3,
      [COLORIZATION_CONV4_LAYER]: h4,
      [COLORIZATION_DECONV_LAYER]: up,
      [COLORIZATION_LOGITS_LAYER]: logits,
    };
  }

  // Logits [n, h/4, w/4, Q] -> the annealed-mean ab, upsampled to
  // [n, h, w, 2].
  function decodeAb(
    logits: tf.Tensor4D,
    size: readonly [number, number],
  ): tf.Tensor4D {
    return tf.tidy(() =>
      upsampleAb(computeAnnealedMeanAb(logits, centers, temperature), size),
    );
  }

  function forward(x: tf.Tensor4D): ForwardResult {
    assertImageBatch('ColorizationModel.forward', x);
    const [, height = 0, width = 0] = x.shape;

    const layers = tf.tidy(() => {
      const { lightness } = splitLab(x);
      const predicted = predictLogits(lightness);
      const logits = predicted[COLORIZATION_LOGITS_LAYER]!;
      const ab = decodeAb(logits, [height, width]);
      const output = renderColorization(lightness, ab);
      return { ...predicted, [COLORIZATION_AB_LAYER]: ab, output };
    });

    const { output, ...named } = layers;
    return { output, layers: named };
  }

  function computeLoss(x: tf.Tensor4D): LossResult {
    assertImageBatch('ColorizationModel.computeLoss', x);
    const [, height = 0, width = 0] = x.shape;

    const { crossEntropy, abError } = tf.tidy(() => {
      const { lightness, ab } = splitLab(x);
      const logits = predictLogits(lightness)[COLORIZATION_LOGITS_LAYER]!;

      // The true colour of each output pixel is the mean ab of the block
      // of input pixels it stands for.
      const blockAb = averageBlocks(ab, COLORIZATION_OUTPUT_STRIDE);
      const { soft, nearest } = encodeAbTargets(blockAb, bins, softEncoding);
      const pixelWeights = tf.gather(weights, nearest) as tf.Tensor3D;

      const decoded = decodeAb(logits, [height, width]);
      return {
        crossEntropy: computeRebalancedCrossEntropy(logits, soft, pixelWeights),
        abError: computeMeanAbError(decoded, ab),
      };
    });
    return {
      total: crossEntropy,
      terms: { cross_entropy: crossEntropy },
      metrics: { [COLORIZATION_AB_ERROR_METRIC]: abError },
    };
  }

  // The held-out version of the ab error, for the training loop's
  // checkpoints; colorization needs no labels.
  function computeValidationMetrics(x: tf.Tensor4D): Record<string, tf.Scalar> {
    assertImageBatch('ColorizationModel.computeValidationMetrics', x);
    const [, height = 0, width = 0] = x.shape;

    const abError = tf.tidy(() => {
      const { lightness, ab } = splitLab(x);
      const logits = predictLogits(lightness)[COLORIZATION_LOGITS_LAYER]!;
      return computeMeanAbError(decodeAb(logits, [height, width]), ab);
    });
    return { [COLORIZATION_AB_ERROR_METRIC]: abError };
  }

  return {
    family: FAMILY,
    variables: scope.variables,
    variableNames: scope.names,
    encodingLayers: [
      COLORIZATION_CONV1_LAYER,
      COLORIZATION_CONV2_LAYER,
      COLORIZATION_CONV3_LAYER,
      COLORIZATION_CONV4_LAYER,
    ],
    forward,
    computeLoss,
    computeValidationMetrics,
    // The first layer sees lightness only; its kernels are repeated over
    // R, G and B so that they show as grey filters [k, k, 3, c].
    firstLayerKernels: () => tf.tile(conv1.kernel, [1, 1, 3, 1]) as tf.Tensor4D,
    dispose: () => {
      for (const variable of scope.variables) variable.dispose();
      tf.dispose([centers, weights]);
    },
  };
}

/**
 * The mean of x [n, h, w, c] over `factor` x `factor` blocks, giving
 * [n, ceil(h / factor), ceil(w / factor), c]; blocks cut short by the
 * image's bottom or right edge average only the pixels they hold.
 */
function averageBlocks(x: tf.Tensor4D, factor: number): tf.Tensor4D {
  const [, height = 0, width = 0] = x.shape;
  const padding: [number, number][] = [
    [0, 0],
    [0, Math.ceil(height / factor) * factor - height],
    [0, Math.ceil(width / factor) * factor - width],
    [0, 0],
  ];
  const isWhole = padding[1]![1] === 0 && padding[2]![1] === 0;
  if (isWhole) return tf.avgPool(x, factor, factor, 'valid');

  // Pooling a zero-padded image and a zero-padded mask of ones gives the
  // mean over each block's real pixels times the share of them.
  return tf.tidy(() => {
    const sums = tf.avgPool(tf.pad(x, padding), factor, factor, 'valid');
    const ones = tf.ones([1, height, width, 1]) as tf.Tensor4D;
    const shares = tf.avgPool(tf.pad(ones, padding), factor, factor, 'valid');
    return tf.div(sums, shares) as tf.Tensor4D;
  });
}
