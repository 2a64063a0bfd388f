/**
 * The variational autoencoder of Kingma and Welling (2014). A stride-2 conv
 * encoder maps an image to the mean and log-variance of a diagonal
 * Gaussian posterior over a latent z; a sample z = mean + exp(lv / 2) * eps
 * (the reparameterisation trick, eps ~ N(0, I)) is decoded by a mirrored
 * stack of transposed convs. The loss is the negative ELBO with a weight
 * beta on the KL term (beta = 1: the plain bound; Higgins et al. 2017
 * otherwise): reconstruction + beta * KL, both logged, and the ELBO itself
 * (beta = 1, whatever the spec says) logged as 'elbo'.
 */
import * as tf from '@tensorflow/tfjs-core';

import { createRandom, normal } from '@hourglass/common';
import {
  computeHalvingSizes,
  type VariationalAutoencoderSpec,
} from '@hourglass/specs';

import { assertSizedImageBatch } from './image-batch.ts';
import { asFeatureMap, flatten, fullyConnected } from './layer-ops.ts';
import { createLayerVariables, disposeVariables } from './layer-variables.ts';
import { createNoiseSeedSource } from './noise-seed.ts';
import { conv2dSame, conv2dTransposeSame } from './same-padding.ts';
import { tidyResult } from './tidy-result.ts';
import {
  bernoulliNegativeLogLikelihood,
  gaussianKlDivergence,
  gaussianNegativeLogLikelihood,
} from './variational-losses.ts';
import type {
  ForwardOptions,
  ForwardResult,
  LossOptions,
  LossResult,
  VisionModel,
} from './vision-model.ts';

const FAMILY = 'vae';
const IMAGE_CHANNELS = 3;
const STRIDE = 2;

/** The posterior mean, [n, 1, 1, latent]: the VAE's code. */
export const VAE_MEAN_LAYER = 'encoder/mean';
/** The posterior log-variance, [n, 1, 1, latent]. */
export const VAE_LOG_VARIANCE_LAYER = 'encoder/log-variance';
/** The decoded latent: a sample while training, the mean otherwise. */
export const VAE_LATENT_LAYER = 'latent/z';
/** The metric name of the evidence lower bound, in nats per image. */
export const ELBO_METRIC = 'elbo';

/** The posterior q(z | x) of a batch: mean and log-variance [n, latent]. */
export interface Posterior {
  mean: tf.Tensor2D;
  logVariance: tf.Tensor2D;
}

/** A VAE: a VisionModel that can also encode, sample and reconstruct. */
export interface VariationalAutoencoder extends VisionModel {
  readonly latentSize: number;
  /** The side of the square images it was built for. */
  readonly imageSize: number;
  /** q(z | x) for x [n, s, s, 3]; the caller disposes both tensors. */
  encode(x: tf.Tensor4D): Posterior;
  /** p(x | z): z [n, latent] -> images [n, s, s, 3] in [0, 1]. */
  decode(z: tf.Tensor2D): tf.Tensor4D;
  /** `count` images decoded from seeded draws z ~ N(0, I): [count, s, s, 3]. */
  sampleFromPrior(count: number, seed: number): tf.Tensor4D;
  /** Held-out x [n, s, s, 3] decoded from its posterior mean: [n, s, s, 3]. */
  reconstruct(x: tf.Tensor4D): tf.Tensor4D;
}

/** Whether a model from createModel is a VAE, with sampling and reconstructing. */
export function isVariationalAutoencoder(
  model: VisionModel,
): model is VariationalAutoencoder {
  return 'sampleFromPrior' in model && 'reconstruct' in model;
}

/**
 * Builds the VAE of `spec` for square `imageSize` images, from `seed`. The
 * fully connected layers fix the image size.
 *
 * Shapes, for x [n, s, s, 3], widths c1..cd, latent L, s_i = s / 2^i
 * rounded up at every stage:
 * - 'encoder/conv<i>': [n, s_i, s_i, c_i], ReLU;
 * - 'encoder/mean', 'encoder/log-variance', 'latent/z': [n, 1, 1, L];
 * - 'decoder/dense': [n, s_d, s_d, c_d], ReLU;
 * - 'decoder/deconv<i>' (i = d..1): [n, s_(i-1), ., c_(i-1)], c_0 = 3,
 *   ReLU except deconv1, which holds the logits;
 * - output: sigmoid(logits), [n, s, s, 3]: the Bernoulli means, or the
 *   Gaussian means.
 */
export function createVariationalAutoencoder(
  spec: VariationalAutoencoderSpec,
  options: { seed: number; imageSize: number },
): VariationalAutoencoder {
  const { channels, kernelSize: k, latentSize } = spec;
  const { imageSize } = options;
  const depth = channels.length;
  const sizes = computeHalvingSizes(imageSize, depth);
  const waistSide = sizes[depth]!;
  const waistWidth = channels[depth - 1]!;
  const flatSize = waistSide * waistSide * waistWidth;
  const inputWidth = (i: number) => (i === 0 ? IMAGE_CHANNELS : channels[i - 1]!);

  const scope = createLayerVariables(FAMILY, options.seed);
  const convs = channels.map((width, i) => ({
    kernel: scope.kernel(`encoder/conv${i + 1}/kernel`, [k, k, inputWidth(i), width]),
    bias: scope.bias(`encoder/conv${i + 1}/bias`, width),
  }));
  const meanKernel = scope.matrix('encoder/mean/kernel', [flatSize, latentSize]);
  const meanBias = scope.bias('encoder/mean/bias', latentSize);
  const logVarianceKernel = scope.matrix('encoder/log-variance/kernel', [
    flatSize,
    latentSize,
  ]);
  const logVarianceBias = scope.bias('encoder/log-variance/bias', latentSize);
  const denseKernel = scope.matrix('decoder/dense/kernel', [latentSize, flatSize]);
  const denseBias = scope.bias('decoder/dense/bias', flatSize);
  // deconvs[i] mirrors convs[i]: [n, s_(i+1), c_(i+1)] -> [n, s_i, c_i].
  const deconvs = channels.map((width, i) => ({
    kernel: scope.kernel(`decoder/deconv${i + 1}/kernel`, [k, k, inputWidth(i), width]),
    bias: scope.bias(`decoder/deconv${i + 1}/bias`, inputWidth(i)),
  }));

  const nextNoiseSeed = createNoiseSeedSource(options.seed, 'latent-noise');

  const assertImageSize = (where: string, x: tf.Tensor4D) =>
    assertSizedImageBatch(where, x, imageSize);

  function encodeLayers(x: tf.Tensor4D, layers: Record<string, tf.Tensor>): Posterior {
    let h = x;
    convs.forEach((conv, i) => {
      h = tf.relu(tf.add<tf.Tensor4D>(conv2dSame(h, conv.kernel, STRIDE), conv.bias));
      layers[`encoder/conv${i + 1}`] = h;
    });
    const flat = flatten(h);
    return {
      mean: fullyConnected(flat, meanKernel, meanBias),
      logVariance: fullyConnected(flat, logVarianceKernel, logVarianceBias),
    };
  }

  // z [n, L] -> logits [n, s, s, 3].
  function decodeLogits(z: tf.Tensor2D, layers: Record<string, tf.Tensor>): tf.Tensor4D {
    const [n = 0] = z.shape;
    const dense = tf.relu(fullyConnected(z, denseKernel, denseBias));
    let h: tf.Tensor4D = tf.reshape(dense, [n, waistSide, waistSide, waistWidth]);
    layers['decoder/dense'] = h;
    for (let i = depth - 1; i >= 0; i -= 1) {
      const side = sizes[i]!;
      const deconv = deconvs[i]!;
      const painted = conv2dTransposeSame(h, deconv.kernel, [side, side], STRIDE);
      const withBias = tf.add<tf.Tensor4D>(painted, deconv.bias);
      h = i === 0 ? withBias : tf.relu(withBias);
      layers[`decoder/deconv${i + 1}`] = h;
    }
    return h;
  }

  // eps ~ N(0, I) [n, L] from the project's seeded generator, so the
  // noise is the same on every backend and after a resume.
  function drawNoise(shape: [number, number], seed: number): tf.Tensor2D {
    const random = createRandom(seed);
    const values = new Float32Array(shape[0] * shape[1]);
    for (let i = 0; i < values.length; i += 1) values[i] = normal(random);
    return tf.tensor2d(values, shape);
  }

  function forward(x: tf.Tensor4D, options: ForwardOptions = {}): ForwardResult {
    assertImageSize('VariationalAutoencoder.forward', x);
    const layers: Record<string, tf.Tensor> = {};

    const { mean, logVariance } = encodeLayers(x, layers);
    const z = options.training
      ? tf.add(
          mean,
          tf.mul(
            tf.exp(tf.mul(logVariance, 0.5)),
            drawNoise([x.shape[0], latentSize], nextNoiseSeed(options.noiseSeed)),
          ),
        )
      : mean;
    const logits = decodeLogits(z as tf.Tensor2D, layers);
    const output = tf.sigmoid(logits);
    layers[VAE_MEAN_LAYER] = asFeatureMap(mean);
    layers[VAE_LOG_VARIANCE_LAYER] = asFeatureMap(logVariance);
    layers[VAE_LATENT_LAYER] = asFeatureMap(z as tf.Tensor2D);
    layers['decoder/output'] = output;
    return { output, layers };
  }

  function computeLoss(
    x: tf.Tensor4D,
    _labels?: tf.Tensor,
    options: LossOptions = {},
  ): LossResult {
    assertImageSize('VariationalAutoencoder.computeLoss', x);
    return tidyResult(() => {
      const { noiseSeed } = options;
      const { output, layers } = forward(x, { training: true, noiseSeed });
      const [n = 0] = x.shape;
      const mean = tf.reshape(layers[VAE_MEAN_LAYER]!, [n, latentSize]) as tf.Tensor2D;
      const logVariance = tf.reshape(layers[VAE_LOG_VARIANCE_LAYER]!, [
        n,
        latentSize,
      ]) as tf.Tensor2D;
      const logits = layers['decoder/deconv1'] as tf.Tensor4D;

      const reconstruction =
        spec.likelihood === 'bernoulli'
          ? bernoulliNegativeLogLikelihood(x, logits)
          : gaussianNegativeLogLikelihood(x, output as tf.Tensor4D, spec.outputSd);
      const kl = gaussianKlDivergence(mean, logVariance);
      const total = tf.add(reconstruction, tf.mul(kl, spec.beta)) as tf.Scalar;
      const elbo = tf.neg(tf.add(reconstruction, kl)) as tf.Scalar;
      return {
        total,
        terms: { reconstruction, kl },
        metrics: { [ELBO_METRIC]: elbo },
      };
    });
  }

  return {
    family: FAMILY,
    latentSize,
    imageSize,
    variables: scope.variables,
    variableNames: scope.names,
    encodingLayers: [...channels.map((_, i) => `encoder/conv${i + 1}`), VAE_MEAN_LAYER],
    forward,
    computeLoss,
    encode: (x) => {
      assertImageSize('VariationalAutoencoder.encode', x);
      return tidyResult(() => encodeLayers(x, {}));
    },
    decode: (z) => tf.tidy(() => tf.sigmoid(decodeLogits(z, {}))),
    sampleFromPrior: (count, seed) =>
      tf.tidy(() => tf.sigmoid(decodeLogits(drawNoise([count, latentSize], seed), {}))),
    reconstruct: (x) => {
      assertImageSize('VariationalAutoencoder.reconstruct', x);
      return tf.tidy(() => tf.sigmoid(decodeLogits(encodeLayers(x, {}).mean, {})));
    },
    firstLayerKernels: () => tf.clone(convs[0]!.kernel),
    dispose: () => disposeVariables(scope.variables),
  };
}
