import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';

import type {
  SparsePooledAutoencoderSpec,
  SparseShallowAutoencoderSpec,
  SparsityPlacement,
} from '@hourglass/specs';

import { l1Sparsity, nearZeroFraction } from './autoencoder-losses.ts';
import { createPooledAutoencoder } from './pooled-autoencoder.ts';
import { createShallowAutoencoder } from './shallow-autoencoder.ts';
import {
  assertWasmMatchesCpu,
  prepareBackends,
  randomImages,
  trainOnFixedBatch,
} from './testing/model-test-support.ts';
import type { VisionModel } from './vision-model.ts';

const SHALLOW: SparseShallowAutoencoderSpec = {
  family: 'sparse-shallow-ae',
  channels: 8,
  kernelSize: 5,
  stride: 4,
  decoderKernelSize: 4,
  activation: 'relu',
  sparsity: { weight: 0.5, placement: 'post-activation', zeroThreshold: 1e-3 },
};

const POOLED: SparsePooledAutoencoderSpec = {
  family: 'sparse-pooled-ae',
  channels: 8,
  kernelSize: 7,
  stride: 4,
  pool: 'max',
  poolSize: 4,
  decoderKernelSize: 16,
  activation: 'relu',
  sparsity: { weight: 0.5, placement: 'post-pool', zeroThreshold: 1e-3 },
};

const PENALISED_LAYER: Record<SparsityPlacement, string> = {
  'pre-activation': 'encoder/conv',
  'post-activation': 'encoder/activation',
  'post-pool': 'encoder/pool',
};

function buildModel(family: 'shallow' | 'pooled', placement: SparsityPlacement): VisionModel {
  return family === 'shallow'
    ? createShallowAutoencoder(
        { ...SHALLOW, sparsity: { ...SHALLOW.sparsity, placement } },
        { seed: 2 },
      )
    : createPooledAutoencoder(
        { ...POOLED, sparsity: { ...POOLED.sparsity, placement } },
        { seed: 2 },
      );
}

const CASES: { family: 'shallow' | 'pooled'; placement: SparsityPlacement }[] = [
  { family: 'shallow', placement: 'pre-activation' },
  { family: 'shallow', placement: 'post-activation' },
  { family: 'pooled', placement: 'pre-activation' },
  { family: 'pooled', placement: 'post-activation' },
  { family: 'pooled', placement: 'post-pool' },
];

describe('sparse autoencoders', () => {
  before(() => prepareBackends('cpu'));

  describe('l1Sparsity and nearZeroFraction', () => {
    it('give mean |h| and the share of |h| below the threshold', () => {
      const hidden = tf.tensor2d([
        [0, -2, 0.0005],
        [3, -0.002, 1],
      ]);

      // (0 + 2 + 0.0005 + 3 + 0.002 + 1) / 6 = 6.0025 / 6
      assert.ok(Math.abs(l1Sparsity(hidden).dataSync()[0]! - 6.0025 / 6) < 1e-6);
      // 0 and 0.0005 are below 1e-3; -0.002 is not.
      assert.ok(Math.abs(nearZeroFraction(hidden, 1e-3).dataSync()[0]! - 2 / 6) < 1e-7);
      hidden.dispose();
    });
  });

  for (const { family, placement } of CASES) {
    it(`adds weight * mean |h| of '${PENALISED_LAYER[placement]}' (${family}, ${placement})`,
      () => {
        const model = buildModel(family, placement);
        const x = randomImages([2, 32, 32, 3], 3);
        const forward = model.forward(x);
        const hidden = forward.layers[PENALISED_LAYER[placement]]!.dataSync();
        const output = forward.output.dataSync();
        const pixels = x.dataSync();

        const { total, terms, metrics } = model.computeLoss(x);

        let squared = 0;
        pixels.forEach((value, i) => {
          squared += (output[i]! - value) ** 2;
        });
        let absolute = 0;
        let silent = 0;
        hidden.forEach((value) => {
          absolute += Math.abs(value);
          if (Math.abs(value) < 1e-3) silent += 1;
        });
        const reconstruction = squared / pixels.length;
        const sparsity = absolute / hidden.length;
        assert.deepEqual(Object.keys(terms), ['reconstruction', 'sparsity']);
        assert.ok(Math.abs(terms['reconstruction']!.dataSync()[0]! - reconstruction) < 1e-6);
        assert.ok(Math.abs(terms['sparsity']!.dataSync()[0]! - sparsity) < 1e-5 * sparsity);
        const expectedTotal = reconstruction + 0.5 * sparsity;
        assert.ok(Math.abs(total.dataSync()[0]! - expectedTotal) < 1e-5 * expectedTotal);
        const fraction = metrics?.['sparsity/near_zero_fraction']?.dataSync()[0];
        assert.equal(fraction, silent / hidden.length);
        tf.dispose([x, forward.output, ...Object.values(forward.layers), total]);
        tf.dispose([...Object.values(terms), ...Object.values(metrics ?? {})]);
        model.dispose();
      });
  }

  it("refuses 'post-pool' for the shallow autoencoder, which has no pool", () => {
    assert.throws(() => buildModel('shallow', 'post-pool'), {
      name: 'ValidationError',
      message: /sparsity\.placement: the shallow autoencoder has no pool/,
    });
  });

  it('keeps the loss, its terms and the metric alive, nothing else', () => {
    const model = buildModel('pooled', 'post-pool');
    const x = randomImages([1, 32, 32, 3], 1);
    const before = tf.memory().numTensors;

    const { total, terms, metrics } = model.computeLoss(x);

    assert.equal(tf.memory().numTensors, before + 4);
    tf.dispose([total, ...Object.values(terms), ...Object.values(metrics ?? {})]);
    x.dispose();
    model.dispose();
  });

  it('silences more hidden units with a larger weight after the same training', async () => {
    await tf.setBackend('wasm');
    const x = randomImages([4, 32, 32, 3], 9);
    const silentFraction = (weight: number) => {
      const model = createShallowAutoencoder(
        { ...SHALLOW, channels: 16, sparsity: { ...SHALLOW.sparsity, weight } },
        { seed: 5 },
      );
      trainOnFixedBatch(model, x, { steps: 40, learningRate: 0.01 });
      const fraction = tf.tidy(() => {
        const metric = model.computeLoss(x).metrics?.['sparsity/near_zero_fraction'];
        return metric!.dataSync()[0]!;
      });
      model.dispose();
      return fraction;
    };

    const withoutPenalty = silentFraction(0);
    const withPenalty = silentFraction(0.05);

    assert.ok(
      withPenalty > withoutPenalty + 0.05 && withPenalty < 1,
      `silent units: ${withoutPenalty} without the penalty, ${withPenalty} with it`,
    );
    x.dispose();
    await tf.setBackend('cpu');
  });

  for (const { family, placement } of [CASES[0]!, CASES[4]!]) {
    it(`computes the same loss and gradients on wasm as on cpu (${family}, ${placement})`,
      async () => {
        const model = buildModel(family, placement);
        const x = randomImages([2, 16, 16, 3], 5);

        await assertWasmMatchesCpu(model, x);

        x.dispose();
        model.dispose();
      });
  }
});
