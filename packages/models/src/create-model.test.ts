import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';

import { RunSpec, type RunSpecInput } from '@hourglass/specs';

import { createModel } from './create-model.ts';
import {
  disposeForward,
  prepareBackends,
  randomImages,
  randomLabels,
} from './testing/model-test-support.ts';
import { isVariationalAutoencoder } from './variational-autoencoder.ts';

// One small spec per family, 16px so that the cpu backend is quick.
const MODELS: RunSpecInput['model'][] = [
  { family: 'shallow-ae', channels: 4, kernelSize: 5, stride: 4, decoderKernelSize: 4 },
  { family: 'sparse-shallow-ae', channels: 4, kernelSize: 5, stride: 4, decoderKernelSize: 4 },
  { family: 'pooled-ae', channels: 4, stride: 4, poolSize: 2, decoderKernelSize: 8 },
  {
    family: 'sparse-pooled-ae',
    channels: 4,
    stride: 4,
    poolSize: 2,
    decoderKernelSize: 8,
    sparsity: { placement: 'post-pool' },
  },
  { family: 'deep-ae', depth: 2, baseChannels: 4, waistSparsity: {} },
  { family: 'vae', channels: [4, 8], latentSize: 4 },
  { family: 'alexnet', widthMultiplier: 0.0625 },
];

const EXPECTED_TERMS: Record<string, string[]> = {
  'shallow-ae': ['reconstruction'],
  'sparse-shallow-ae': ['reconstruction', 'sparsity'],
  'pooled-ae': ['reconstruction'],
  'sparse-pooled-ae': ['reconstruction', 'sparsity'],
  'deep-ae': ['reconstruction', 'sparsity'],
  vae: ['reconstruction', 'kl'],
  alexnet: ['cross_entropy'],
};

describe('createModel', () => {
  before(() => prepareBackends('cpu'));

  for (const model of MODELS) {
    const spec = RunSpec.parse({ model, imageSize: 16, seed: 5 });

    it(`builds a ${model.family} whose encoding layers come out of forward`, () => {
      const built = createModel(spec);
      const x = randomImages([2, 16, 16, 3], 1);

      const result = built.forward(x);

      assert.equal(built.family, model.family);
      assert.equal(isVariationalAutoencoder(built), model.family === 'vae');
      assert.ok(built.encodingLayers.length > 0);
      for (const name of built.encodingLayers) {
        const layer = result.layers[name];
        assert.ok(layer, `${name} is in the forward result`);
        assert.equal(layer.rank, 4, `${name} is NHWC`);
        assert.equal(layer.shape[0], 2, `${name} keeps the batch`);
      }
      const kernels = built.firstLayerKernels();
      assert.equal(kernels.rank, 4);
      assert.equal(kernels.shape[2], 3, 'first-layer kernels read RGB');
      assert.deepEqual(kernels.dataSync(), built.variables[0]!.dataSync());
      assert.equal(new Set(built.variableNames).size, built.variables.length);
      tf.dispose([x, kernels]);
      disposeForward(result);
      built.dispose();
    });

    it(`gives a ${model.family} the same weights for the same seed`, () => {
      const first = createModel(spec);
      const second = createModel(spec);

      first.variables.forEach((variable, i) => {
        assert.deepEqual(variable.dataSync(), second.variables[i]!.dataSync());
      });
      first.dispose();
      second.dispose();
    });

    it(`leaves only the ${model.family} loss, its terms and metrics alive`, () => {
      const built = createModel(spec);
      const x = randomImages([2, 16, 16, 3], 1);
      const labels = randomLabels(2, 10, 2);
      const before = tf.memory().numTensors;

      const { total, terms, metrics = {} } = built.computeLoss(x, labels, { noiseSeed: 1 });

      const kept = new Set([total, ...Object.values(terms), ...Object.values(metrics)]);
      assert.equal(tf.memory().numTensors, before + kept.size);
      assert.deepEqual(Object.keys(terms), EXPECTED_TERMS[model.family]);
      assert.ok(Number.isFinite(total.dataSync()[0]));
      tf.dispose([x, labels, ...kept]);
      built.dispose();
    });
  }
});
