import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';

import type { PooledAutoencoderSpec } from '@hourglass/specs';

import { createPooledAutoencoder } from './pooled-autoencoder.ts';
import {
  assertWasmMatchesCpu,
  disposeForward,
  prepareBackends,
  randomImages,
  trainOnFixedBatch,
} from './testing/model-test-support.ts';

const SPEC: PooledAutoencoderSpec = {
  family: 'pooled-ae',
  channels: 8,
  kernelSize: 7,
  stride: 4,
  pool: 'max',
  poolSize: 4,
  decoderKernelSize: 16,
  activation: 'relu',
};

describe('pooled autoencoder', () => {
  before(() => prepareBackends('cpu'));

  for (const size of [32, 64]) {
    it(`reconstructs a [2, ${size}, ${size}, 3] batch through a ${size / 16}px code`, () => {
      const model = createPooledAutoencoder(SPEC, { seed: 1 });
      const x = randomImages([2, size, size, 3], 2);

      const result = model.forward(x);

      assert.deepEqual(result.output.shape, [2, size, size, 3]);
      const conv = [2, size / 4, size / 4, 8];
      assert.deepEqual(result.layers['encoder/conv']?.shape, conv);
      assert.deepEqual(result.layers['encoder/activation']?.shape, conv);
      assert.deepEqual(result.layers['encoder/pool']?.shape, [2, size / 16, size / 16, 8]);
      disposeForward(result);
      x.dispose();
      model.dispose();
    });
  }

  for (const pool of ['max', 'average'] as const) {
    it(`pools the activations with a 4x4 ${pool} pool`, () => {
      const model = createPooledAutoencoder({ ...SPEC, pool }, { seed: 1 });
      const x = randomImages([1, 32, 32, 3], 3);

      const result = model.forward(x);
      const hidden = result.layers['encoder/activation'] as tf.Tensor4D;
      const expected =
        pool === 'max' ? tf.maxPool(hidden, 4, 4, 'valid') : tf.avgPool(hidden, 4, 4, 'valid');

      assert.deepEqual(result.layers['encoder/pool']!.dataSync(), expected.dataSync());
      tf.dispose([expected, x]);
      disposeForward(result);
      model.dispose();
    });
  }

  it('names conv, activation and pool as its encoding layers', () => {
    const model = createPooledAutoencoder(SPEC, { seed: 1 });

    assert.deepEqual(model.encodingLayers, [
      'encoder/conv',
      'encoder/activation',
      'encoder/pool',
    ]);
    assert.equal(model.family, 'pooled-ae');
    const kernels = model.firstLayerKernels();
    assert.deepEqual(kernels.shape, [7, 7, 3, 8]);
    kernels.dispose();
    model.dispose();
  });

  it('lowers the loss on a fixed batch over 30 Adam steps', async () => {
    await tf.setBackend('wasm');
    const model = createPooledAutoencoder({ ...SPEC, channels: 16 }, { seed: 6 });
    const x = randomImages([4, 32, 32, 3], 7);

    const { initial, final } = trainOnFixedBatch(model, x, { steps: 30, learningRate: 0.01 });

    assert.ok(final < 0.5 * initial, `loss went from ${initial} to ${final}`);
    x.dispose();
    model.dispose();
    await tf.setBackend('cpu');
  });

  // 20px: the 5x5 conv output does not divide into 4x4 pools, so the
  // windows at the edge are padded.
  for (const pool of ['max', 'average'] as const) {
    it(`computes the same loss and gradients on wasm as on cpu (${pool} pool, 20px)`,
      async () => {
        const model = createPooledAutoencoder({ ...SPEC, pool }, { seed: 4 });
        const x = randomImages([2, 20, 20, 3], 5);

        await assertWasmMatchesCpu(model, x);

        x.dispose();
        model.dispose();
      });
  }
});
