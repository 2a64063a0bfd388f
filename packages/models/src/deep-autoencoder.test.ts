import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';

import type { DeepAutoencoderSpec } from '@hourglass/specs';

import {
  createDeepAutoencoder,
  listDeepDecoderLayers,
  listDeepEncoderLayers,
} from './deep-autoencoder.ts';
import {
  assertWasmMatchesCpu,
  disposeForward,
  prepareBackends,
  randomImages,
  trainOnFixedBatch,
} from './testing/model-test-support.ts';

const SPEC: DeepAutoencoderSpec = {
  family: 'deep-ae',
  depth: 3,
  baseChannels: 4,
  kernelSize: 3,
  pool: 'max',
  activation: 'relu',
};

describe('deep symmetric autoencoder', () => {
  before(() => prepareBackends('cpu'));

  for (const size of [32, 64]) {
    it(`reconstructs a [2, ${size}, ${size}, 3] batch through a ${size / 8}px waist`, () => {
      const model = createDeepAutoencoder(SPEC, { seed: 1 });
      const x = randomImages([2, size, size, 3], 2);

      const result = model.forward(x);

      assert.deepEqual(result.output.shape, [2, size, size, 3]);
      const waist = result.layers['encoder/stage3/pool'];
      assert.deepEqual(waist?.shape, [2, size / 8, size / 8, 16]);
      disposeForward(result);
      x.dispose();
      model.dispose();
    });
  }

  // Encoder layer 0 is the image and layer n the waist; decoder layer 0 is
  // the waist and layer n the reconstruction.
  for (const { depth, size } of [
    { depth: 1, size: 8 },
    { depth: 2, size: 16 },
    { depth: 3, size: 20 },
    { depth: 4, size: 32 },
    { depth: 5, size: 37 },
  ]) {
    it(`gives decoder layer n - i the shape of encoder layer i (depth ${depth}, ${size}px)`,
      () => {
        const model = createDeepAutoencoder({ ...SPEC, depth }, { seed: 3 });
        const x = randomImages([1, size, size, 3], 4);

        const result = model.forward(x);

        const layersOf = (names: string[]) => names.map((name) => result.layers[name]!);
        const encoder = [x, ...layersOf(listDeepEncoderLayers(depth))];
        const waist = encoder[encoder.length - 1]!;
        const decoder = [waist, ...layersOf(listDeepDecoderLayers(depth))];
        const n = 2 * depth;
        assert.equal(encoder.length, n + 1);
        assert.equal(decoder.length, n + 1);
        for (let i = 0; i <= n; i += 1) {
          assert.deepEqual(decoder[n - i]!.shape, encoder[i]!.shape, `layer ${i}`);
        }
        assert.equal(decoder[n], result.output);
        disposeForward(result);
        x.dispose();
        model.dispose();
      });
  }

  it('doubles the width at every stage unless widths are given', () => {
    const doubling = createDeepAutoencoder(SPEC, { seed: 1 });
    const explicit = createDeepAutoencoder({ ...SPEC, channels: [5, 6, 7] }, { seed: 1 });
    const x = randomImages([1, 16, 16, 3], 1);

    const widths = (result: ReturnType<typeof doubling.forward>) =>
      [1, 2, 3].map((i) => result.layers[`encoder/stage${i}/pool`]!.shape[3]);
    const fromDoubling = doubling.forward(x);
    const fromExplicit = explicit.forward(x);

    assert.deepEqual(widths(fromDoubling), [4, 8, 16]);
    assert.deepEqual(widths(fromExplicit), [5, 6, 7]);
    assert.deepEqual(doubling.encodingLayers, listDeepEncoderLayers(3));
    const kernels = explicit.firstLayerKernels();
    assert.deepEqual(kernels.shape, [3, 3, 3, 5]);
    tf.dispose(kernels);
    disposeForward(fromDoubling);
    disposeForward(fromExplicit);
    x.dispose();
    doubling.dispose();
    explicit.dispose();
  });

  it('adds weight * mean |waist| to the loss when waist sparsity is asked for', () => {
    const penalty = { weight: 0.3, zeroThreshold: 1e-3 };
    const model = createDeepAutoencoder({ ...SPEC, waistSparsity: penalty }, { seed: 2 });
    const x = randomImages([2, 16, 16, 3], 5);

    const { total, terms, metrics } = model.computeLoss(x);
    const waist = tf.tidy(() => [...model.forward(x).layers['encoder/stage3/pool']!.dataSync()]);

    const l1 = waist.reduce((sum, value) => sum + Math.abs(value), 0) / waist.length;
    const reconstruction = terms['reconstruction']!.dataSync()[0]!;
    assert.ok(Math.abs(terms['sparsity']!.dataSync()[0]! - l1) < 1e-5 * l1);
    assert.ok(Math.abs(total.dataSync()[0]! - (reconstruction + 0.3 * l1)) < 1e-6);
    assert.ok(metrics?.['sparsity/near_zero_fraction'] !== undefined);
    tf.dispose([x, total, ...Object.values(terms), ...Object.values(metrics ?? {})]);
    model.dispose();
  });

  it('lowers the loss on a fixed batch over 30 Adam steps', async () => {
    await tf.setBackend('wasm');
    const model = createDeepAutoencoder({ ...SPEC, depth: 2, baseChannels: 8 }, { seed: 6 });
    const x = randomImages([4, 32, 32, 3], 7);

    const { initial, final } = trainOnFixedBatch(model, x, { steps: 30, learningRate: 0.01 });

    assert.ok(final < 0.5 * initial, `loss went from ${initial} to ${final}`);
    x.dispose();
    model.dispose();
    await tf.setBackend('cpu');
  });

  for (const pool of ['max', 'average'] as const) {
    it(`computes the same loss and gradients on wasm as on cpu (${pool} pool, 12px)`,
      async () => {
        const model = createDeepAutoencoder(
          { ...SPEC, pool, waistSparsity: { weight: 0.1, zeroThreshold: 1e-3 } },
          { seed: 4 },
        );
        const x = randomImages([2, 12, 12, 3], 5);

        await assertWasmMatchesCpu(model, x);

        x.dispose();
        model.dispose();
      });
  }
});
