import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';

import { RunSpec, type ModelSpec } from '@hourglass/specs';

import { createModel } from './create-model.ts';
import {
  prepareBackends,
  randomImages,
  trainOnFixedBatch,
} from './testing/model-test-support.ts';

// Every autoencoder family with its default spec, at ImageNet's 224px.
// (The supervised baseline's 224px step is in alexnet-classifier.test.ts.)
const FAMILIES: ModelSpec['family'][] = [
  'shallow-ae',
  'sparse-shallow-ae',
  'pooled-ae',
  'sparse-pooled-ae',
  'deep-ae',
  'vae',
];

describe('models at 224x224', () => {
  before(() => prepareBackends('wasm'));
  after(() => tf.setBackend('cpu'));

  for (const family of FAMILIES) {
    it(`trains one step on a [1, 224, 224, 3] batch with the default ${family} spec`, () => {
      const spec = RunSpec.parse({ model: { family }, imageSize: 224 });
      const model = createModel(spec);
      const x = randomImages([1, 224, 224, 3], 1);

      const output = tf.tidy(() => model.forward(x).output.shape);
      const { initial, final } = trainOnFixedBatch(model, x, {
        steps: 1,
        learningRate: 1e-3,
        optimizer: 'sgd',
      });

      assert.deepEqual(output, [1, 224, 224, 3]);
      assert.ok(final < initial, `loss went from ${initial} to ${final}`);
      x.dispose();
      model.dispose();
    });
  }
});
