/**
 * The supervised baseline the unsupervised models are compared with: an
 * AlexNet-style classifier after Krizhevsky, Sutskever and Hinton (2012),
 * five convs with ReLU (max pools of 3x3, stride 2 after conv1, conv2 and
 * conv5) and three fully connected layers (dropout before fc7 and fc8),
 * trained with softmax cross-entropy on labels. 'full' is the paper's
 * 224px layout (11x11 stride-4 conv1, 96-256-384-384-256 channels,
 * 4096-4096 units) on one tower; 'small' keeps the shape of the network
 * for 32px images (5x5 stride-1 conv1, 64-192-384-256-256, 384-192).
 * Local response normalisation is left out, as later AlexNet-style
 * baselines do; it changes accuracy by about a percent in the paper.
 */
import * as tf from '@tensorflow/tfjs-core';

import { ShapeError, deriveSeed } from '@hourglass/common';
import {
  computeAlexNetSizes,
  describeAlexNet,
  type AlexNetSpec,
} from '@hourglass/specs';

import { softmaxCrossEntropy, topOneAccuracy } from './classification-losses.ts';
import { assertSizedImageBatch } from './image-batch.ts';
import { asFeatureMap, flatten, fullyConnected } from './layer-ops.ts';
import { createLayerVariables, disposeVariables } from './layer-variables.ts';
import { createNoiseSeedSource } from './noise-seed.ts';
import { conv2dSame } from './same-padding.ts';
import { tidyResult } from './tidy-result.ts';
import type {
  ForwardOptions,
  ForwardResult,
  LossOptions,
  LossResult,
  VisionModel,
} from './vision-model.ts';

const FAMILY = 'alexnet';
const IMAGE_CHANNELS = 3;

/** The encoding layers, in order: conv1..conv5 after ReLU, fc6..fc8. */
export const ALEXNET_ENCODING_LAYERS = [
  'conv1',
  'conv2',
  'conv3',
  'conv4',
  'conv5',
  'fc6',
  'fc7',
  'fc8',
] as const;

/** A classifier: a VisionModel whose output is class logits. */
export interface ImageClassifier extends VisionModel {
  readonly classCount: number;
  /** The side of the square images it was built for. */
  readonly imageSize: number;
}

/**
 * Builds the AlexNet of `spec` for square `imageSize` images, from `seed`.
 *
 * Shapes, for x [n, s, s, 3], conv widths c1..c5 and fc units u6, u7
 * (see describeAlexNet), s1 = s / conv1's stride rounded up, and
 * p(a) = floor((a - 3) / 2) + 1:
 * - 'conv1': [n, s1, s1, c1]; 'conv2': [n, p(s1), ., c2];
 * - 'conv3'..'conv5': [n, p(p(s1)), ., c3..c5];
 * - 'fc6', 'fc7': [n, 1, 1, u6 | u7], after ReLU, before dropout;
 * - 'fc8' (logits): [n, 1, 1, classes]; output: the logits [n, classes].
 *
 * Variables: 'conv<i>/kernel' [k_i, k_i, c_(i-1), c_i] and 'conv<i>/bias',
 * 'fc<j>/kernel' [in, out] and 'fc<j>/bias'.
 */
export function createAlexNetClassifier(
  spec: AlexNetSpec,
  options: { seed: number; imageSize: number },
): ImageClassifier {
  const { classCount, dropoutRate } = spec;
  const { imageSize } = options;
  const layout = describeAlexNet(spec);
  const finalSide = computeAlexNetSizes(layout, imageSize).pools[2];
  if (finalSide < 1) {
    const expected = `an input large enough for the '${spec.variant}' layout`;
    throw new ShapeError('createAlexNetClassifier', expected, [imageSize, imageSize]);
  }

  const scope = createLayerVariables(FAMILY, options.seed);
  const convs = layout.convChannels.map((width, i) => {
    const size = layout.convKernels[i]!;
    const depthIn = i === 0 ? IMAGE_CHANNELS : layout.convChannels[i - 1]!;
    return {
      kernel: scope.kernel(`conv${i + 1}/kernel`, [size, size, depthIn, width]),
      bias: scope.bias(`conv${i + 1}/bias`, width),
      stride: i === 0 ? layout.firstStride : 1,
    };
  });
  const flatSize = finalSide * finalSide * layout.convChannels[4]!;
  const fcSizes = [flatSize, ...layout.fcUnits, classCount];
  const fcs = [6, 7, 8].map((layer, j) => ({
    kernel: scope.matrix(`fc${layer}/kernel`, [fcSizes[j]!, fcSizes[j + 1]!]),
    bias: scope.bias(`fc${layer}/bias`, fcSizes[j + 1]!),
  }));

  const nextNoiseSeed = createNoiseSeedSource(options.seed, 'dropout');

  const assertImageSize = (where: string, x: tf.Tensor4D) =>
    assertSizedImageBatch(where, x, imageSize);

  const maxPool = (x: tf.Tensor4D) =>
    tf.maxPool(x, layout.poolSize, layout.poolStride, 'valid');

  function forward(x: tf.Tensor4D, options: ForwardOptions = {}): ForwardResult {
    assertImageSize('AlexNetClassifier.forward', x);
    const layers: Record<string, tf.Tensor> = {};

    let h = x;
    convs.forEach((conv, i) => {
      const linear = conv2dSame(h, conv.kernel, conv.stride);
      h = tf.relu(tf.add<tf.Tensor4D>(linear, conv.bias));
      layers[`conv${i + 1}`] = h;
      if (i === 0 || i === 1 || i === 4) h = maxPool(h);
    });

    // Dropout masks come from a per-step seed while training, so a resumed
    // run drops the same units as an unbroken one.
    const isTraining = options.training === true && dropoutRate > 0;
    const noiseSeed = isTraining ? nextNoiseSeed(options.noiseSeed) : 0;
    let features = flatten(h);
    fcs.forEach((fc, j) => {
      const name = `fc${j + 6}`;
      const dropSeed = deriveSeed(noiseSeed, name);
      const dropped =
        isTraining && j > 0
          ? (tf.dropout(features, dropoutRate, undefined, dropSeed) as tf.Tensor2D)
          : features;
      const linear = fullyConnected(dropped, fc.kernel, fc.bias);
      features = j === 2 ? linear : tf.relu(linear);
      layers[name] = asFeatureMap(features);
    });
    return { output: features, layers };
  }

  function computeLoss(
    x: tf.Tensor4D,
    labels?: tf.Tensor,
    options: LossOptions = {},
  ): LossResult {
    assertImageSize('AlexNetClassifier.computeLoss', x);
    const checked = assertLabels('AlexNetClassifier.computeLoss', x, labels);
    return tidyResult(() => {
      const { output } = forward(x, { training: true, noiseSeed: options.noiseSeed });
      const crossEntropy = softmaxCrossEntropy(output as tf.Tensor2D, checked);
      return { total: crossEntropy, terms: { cross_entropy: crossEntropy } };
    });
  }

  function computeValidationMetrics(
    x: tf.Tensor4D,
    labels: tf.Tensor,
  ): Record<string, tf.Scalar> {
    assertImageSize('AlexNetClassifier.computeValidationMetrics', x);
    const checked = assertLabels('AlexNetClassifier.computeValidationMetrics', x, labels);
    return tf.tidy(() => ({
      top1: topOneAccuracy(forward(x).output as tf.Tensor2D, checked),
    }));
  }

  return {
    family: FAMILY,
    classCount,
    imageSize,
    variables: scope.variables,
    variableNames: scope.names,
    encodingLayers: [...ALEXNET_ENCODING_LAYERS],
    forward,
    computeLoss,
    computeValidationMetrics,
    firstLayerKernels: () => tf.clone(convs[0]!.kernel),
    dispose: () => disposeVariables(scope.variables),
  };
}

// Labels must be one per image, [n].
function assertLabels(
  where: string,
  x: tf.Tensor4D,
  labels: tf.Tensor | undefined,
): tf.Tensor1D {
  const [n = 0] = x.shape;
  if (labels === undefined || labels.rank !== 1 || labels.shape[0] !== n) {
    throw new ShapeError(where, `labels [${n}]`, labels?.shape ?? []);
  }
  return labels as tf.Tensor1D;
}
