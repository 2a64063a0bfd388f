import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';

import type { VariationalAutoencoderSpec } from '@hourglass/specs';

import {
  assertWasmMatchesCpu,
  disposeForward,
  prepareBackends,
  randomImages,
  smoothImages,
  trainOnFixedBatch,
} from './testing/model-test-support.ts';
import { createVariationalAutoencoder } from './variational-autoencoder.ts';
import {
  bernoulliNegativeLogLikelihood,
  gaussianKlDivergence,
  gaussianNegativeLogLikelihood,
} from './variational-losses.ts';

const SPEC: VariationalAutoencoderSpec = {
  family: 'vae',
  channels: [4, 8],
  kernelSize: 4,
  latentSize: 6,
  beta: 1,
  likelihood: 'bernoulli',
  outputSd: 0.1,
};

function scalar(tensor: tf.Tensor): number {
  const value = tensor.dataSync()[0]!;
  tensor.dispose();
  return value;
}

function isClose(actual: number, expected: number, relative = 1e-5): boolean {
  return Math.abs(actual - expected) <= relative * Math.max(Math.abs(expected), 1);
}

// The smallest Bernoulli NLL of x [n, h, w, 3]: sum of -x log x -
// (1 - x) log(1 - x) per image, averaged over the batch.
function bernoulliEntropyPerImage(x: tf.Tensor4D): number {
  let sum = 0;
  for (const p of x.dataSync()) {
    if (p > 0 && p < 1) sum -= p * Math.log(p) + (1 - p) * Math.log(1 - p);
  }
  return sum / x.shape[0];
}

describe('variational autoencoder', () => {
  before(() => prepareBackends('cpu'));

  describe('loss terms', () => {
    it('gives the KL divergence of N(mean, exp(lv)) from N(0, I) per image', () => {
      const mean = [
        [0.5, -1, 0],
        [2, 0.1, -0.3],
      ];
      const logVariance = [
        [0, -1, 0.7],
        [-2, 0.2, 0],
      ];

      const kl = scalar(gaussianKlDivergence(tf.tensor2d(mean), tf.tensor2d(logVariance)));

      // For one unit: log(1 / sd) + (sd^2 + mean^2) / 2 - 1/2, sd = exp(lv / 2).
      let sum = 0;
      mean.forEach((row, i) =>
        row.forEach((m, j) => {
          const sd = Math.exp(logVariance[i]![j]! / 2);
          sum += Math.log(1 / sd) + (sd * sd + m * m) / 2 - 0.5;
        }),
      );
      assert.ok(isClose(kl, sum / 2), `${kl} vs ${sum / 2}`);
      assert.equal(
        scalar(gaussianKlDivergence(tf.zeros([3, 4]), tf.zeros([3, 4]))),
        0,
        'the prior has no divergence from itself',
      );
    });

    it('gives -log p(x | z) of Bernoulli pixels from logits, summed per image', () => {
      const pixels = [0, 0.25, 1, 0.5, 0.9, 0.1, 1, 0];
      const logits = [-2, 0, 3, 40, -40, 1.5, 0.2, -0.7];

      const nll = scalar(
        bernoulliNegativeLogLikelihood(
          tf.tensor4d(pixels, [2, 1, 4, 1]),
          tf.tensor4d(logits, [2, 1, 4, 1]),
        ),
      );

      // -(x log p + (1 - x) log(1 - p)), p = sigmoid(l), in double precision.
      let sum = 0;
      pixels.forEach((x, i) => {
        const l = logits[i]!;
        const logP = -Math.log1p(Math.exp(-l));
        const logNotP = -Math.log1p(Math.exp(l));
        sum -= x * logP + (1 - x) * logNotP;
      });
      assert.ok(isClose(nll, sum / 2), `${nll} vs ${sum / 2}`);
    });

    it('gives -log p(x | z) of Gaussian pixels with a fixed sd, summed per image', () => {
      const pixels = [0.1, 0.5, 0.9, 0.3, 0.2, 0.8];
      const means = [0.2, 0.5, 0.6, 0.3, 0.25, 0.1];

      const nll = scalar(
        gaussianNegativeLogLikelihood(
          tf.tensor4d(pixels, [2, 1, 1, 3]),
          tf.tensor4d(means, [2, 1, 1, 3]),
          0.2,
        ),
      );

      let sum = 0;
      pixels.forEach((x, i) => {
        const z = (x - means[i]!) / 0.2;
        sum += 0.5 * z * z + Math.log(0.2 * Math.sqrt(2 * Math.PI));
      });
      assert.ok(isClose(nll, sum / 2), `${nll} vs ${sum / 2}`);
    });
  });

  for (const size of [32, 64]) {
    it(`reconstructs a [2, ${size}, ${size}, 3] batch through a ${SPEC.latentSize}-d latent`,
      () => {
        const model = createVariationalAutoencoder(SPEC, { seed: 1, imageSize: size });
        const x = randomImages([2, size, size, 3], 2);

        const result = model.forward(x);

        assert.deepEqual(result.output.shape, [2, size, size, 3]);
        assert.deepEqual(result.layers['encoder/conv2']?.shape, [2, size / 4, size / 4, 8]);
        assert.deepEqual(result.layers['encoder/mean']?.shape, [2, 1, 1, 6]);
        assert.deepEqual(result.layers['encoder/log-variance']?.shape, [2, 1, 1, 6]);
        const pixels = result.output.dataSync();
        assert.ok(pixels.every((value) => value >= 0 && value <= 1));
        assert.deepEqual(model.encodingLayers, ['encoder/conv1', 'encoder/conv2', 'encoder/mean']);
        disposeForward(result);
        x.dispose();
        model.dispose();
      });
  }

  it('reports reconstruction + beta * KL as the loss and -(reconstruction + KL) as the ELBO',
    () => {
      const model = createVariationalAutoencoder({ ...SPEC, beta: 4 }, { seed: 3, imageSize: 16 });
      const x = randomImages([3, 16, 16, 3], 4);

      const { total, terms, metrics } = model.computeLoss(x, undefined, { noiseSeed: 5 });

      const reconstruction = terms['reconstruction']!.dataSync()[0]!;
      const kl = terms['kl']!.dataSync()[0]!;
      assert.deepEqual(Object.keys(terms), ['reconstruction', 'kl']);
      assert.ok(kl > 0);
      assert.ok(isClose(total.dataSync()[0]!, reconstruction + 4 * kl));
      assert.ok(isClose(metrics!['elbo']!.dataSync()[0]!, -(reconstruction + kl)));
      tf.dispose([x, total, ...Object.values(terms), ...Object.values(metrics!)]);
      model.dispose();
    });

  it('draws the same latent noise for the same seed, and other noise for another', () => {
    const model = createVariationalAutoencoder(SPEC, { seed: 3, imageSize: 16 });
    const x = randomImages([2, 16, 16, 3], 4);
    const lossWith = (noiseSeed: number) =>
      tf.tidy(() => model.computeLoss(x, undefined, { noiseSeed }).total.dataSync()[0]!);

    assert.equal(lossWith(8), lossWith(8));
    assert.notEqual(lossWith(8), lossWith(9));
    const evaluate = () => tf.tidy(() => model.forward(x).output.dataSync());
    assert.deepEqual(evaluate(), evaluate(), 'evaluation decodes the mean, without noise');
    x.dispose();
    model.dispose();
  });

  it('samples seeded images from the prior and reconstructs held-out images', () => {
    const model = createVariationalAutoencoder(SPEC, { seed: 3, imageSize: 16 });
    const x = randomImages([2, 16, 16, 3], 4);

    const first = model.sampleFromPrior(5, 11);
    const again = model.sampleFromPrior(5, 11);
    const reconstruction = model.reconstruct(x);
    const forward = model.forward(x);

    assert.deepEqual(first.shape, [5, 16, 16, 3]);
    assert.deepEqual(first.dataSync(), again.dataSync());
    assert.ok(first.dataSync().every((value) => value >= 0 && value <= 1));
    assert.deepEqual(reconstruction.shape, [2, 16, 16, 3]);
    assert.deepEqual(reconstruction.dataSync(), forward.output.dataSync());
    const { mean, logVariance } = model.encode(x);
    assert.deepEqual(mean.shape, [2, 6]);
    assert.deepEqual(logVariance.shape, [2, 6]);
    tf.dispose([x, first, again, reconstruction, mean, logVariance]);
    disposeForward(forward);
    model.dispose();
  });

  it('rejects images of another size than it was built for', () => {
    const model = createVariationalAutoencoder(SPEC, { seed: 1, imageSize: 16 });
    const x = tf.zeros([1, 32, 32, 3]) as tf.Tensor4D;

    assert.throws(() => model.forward(x), {
      name: 'ShapeError',
      message: 'in VariationalAutoencoder.forward: expected [n, 16, 16, 3], got [1, 32, 32, 3]',
    });
    x.dispose();
    model.dispose();
  });

  for (const likelihood of ['bernoulli', 'gaussian'] as const) {
    it(`lowers the loss on a fixed batch over 40 Adam steps (${likelihood})`, async () => {
      await tf.setBackend('wasm');
      const model = createVariationalAutoencoder(
        { ...SPEC, channels: [8, 16], latentSize: 16, likelihood },
        { seed: 6, imageSize: 32 },
      );
      const x = smoothImages(4, 32, 7);

      const { initial, final } = trainOnFixedBatch(model, x, { steps: 40, learningRate: 0.005 });

      // Neither likelihood's loss can fall below that of a perfect
      // reconstruction (the pixels' entropy; the Gaussian's normaliser),
      // so progress is measured by how much of the gap above it closes.
      const floor =
        likelihood === 'bernoulli'
          ? bernoulliEntropyPerImage(x)
          : 32 * 32 * 3 * Math.log(0.1 * Math.sqrt(2 * Math.PI));
      assert.ok(
        final - floor < 0.5 * (initial - floor),
        `loss went from ${initial} to ${final} (floor ${floor})`,
      );
      x.dispose();
      model.dispose();
      await tf.setBackend('cpu');
    });
  }

  for (const likelihood of ['bernoulli', 'gaussian'] as const) {
    it(`computes the same loss and gradients on wasm as on cpu (${likelihood})`, async () => {
      const model = createVariationalAutoencoder(
        { ...SPEC, likelihood },
        { seed: 4, imageSize: 12 },
      );
      const x = randomImages([2, 12, 12, 3], 5);

      await assertWasmMatchesCpu(model, x);

      x.dispose();
      model.dispose();
    });
  }
});
