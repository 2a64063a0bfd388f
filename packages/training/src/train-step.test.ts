import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';

import { resolveBackend } from '@hourglass/compute';
import { gatherBatch, type Batch } from '@hourglass/data';
import { createModel } from '@hourglass/models';

import { createTinyDataset, createTinySpec } from './test-support.ts';
import { runTrainStep } from './train-step.ts';
import { createTrainingOptimizer } from './training-optimizer.ts';

function firstBatch(): Batch {
  return gatherBatch(createTinyDataset().train, [0, 1, 2, 3]);
}

describe('runTrainStep', () => {
  before(async () => {
    await resolveBackend('wasm');
  });

  it('updates the weights on wasm as on the cpu backend', async () => {
    // The default shallow autoencoder's shapes (kernel 7, stride 16) are
    // the ones where wasm's own 'same' padding goes wrong.
    const spec = createTinySpec({
      model: { family: 'shallow-ae', channels: 8 },
      imageSize: 32,
      optimizer: { kind: 'sgd', learningRate: 0.5, momentum: 0 },
    });
    const batch = gatherBatch(createTinyDataset(32).train, [0, 1]);
    const weightsAfterStep = async (backend: string) => {
      await tf.setBackend(backend);
      const model = createModel(spec);
      const optimizer = createTrainingOptimizer(spec.optimizer);
      const losses = runTrainStep({ model, optimizer }, batch, 1);
      const weights = model.variables.map((variable) => variable.dataSync());
      model.dispose();
      optimizer.dispose();
      return { losses, weights };
    };

    const onCpu = await weightsAfterStep('cpu');
    const onWasm = await weightsAfterStep('wasm');

    assert.ok(Math.abs(onCpu.losses.total - onWasm.losses.total) < 1e-5);
    onCpu.weights.forEach((weights, i) => {
      let difference = 0;
      weights.forEach((value, j) => {
        difference = Math.max(difference, Math.abs(value - onWasm.weights[i]![j]!));
      });
      assert.ok(difference < 1e-5, `variable ${i} differs by ${difference}`);
    });
  });

  it('throws a TrainingError on a poisoned batch, leaving the weights alone', () => {
    const spec = createTinySpec();
    const model = createModel(spec);
    const optimizer = createTrainingOptimizer(spec.optimizer);
    const batch = firstBatch();
    batch.pixels[17] = Number.NaN;
    const initial = model.variables.map((variable) => variable.dataSync().slice());
    const before = tf.memory().numTensors;

    assert.throws(() => runTrainStep({ model, optimizer }, batch, 41), {
      name: 'TrainingError',
      message: 'loss is NaN at step 41; training diverged',
    });
    model.variables.forEach((variable, i) => {
      assert.deepEqual(variable.dataSync(), initial[i]);
    });
    assert.equal(tf.memory().numTensors, before);
    model.dispose();
    optimizer.dispose();
  });

  it('frees every tensor it makes once the optimizer has its slots', () => {
    const spec = createTinySpec({ gradientClipNorm: 0.1 });
    const model = createModel(spec);
    const optimizer = createTrainingOptimizer(spec.optimizer);
    const batch = firstBatch();
    const context = { model, optimizer, gradientClipNorm: spec.gradientClipNorm };
    const before = tf.memory().numTensors;

    runTrainStep(context, batch, 1);
    const afterFirst = tf.memory().numTensors;
    runTrainStep(context, batch, 2);

    assert.equal(afterFirst, before + 2 * model.variables.length, 'Adam: m and v');
    assert.equal(tf.memory().numTensors, afterFirst);
    model.dispose();
    optimizer.dispose();
  });

  it('reports the loss and its terms', () => {
    const spec = createTinySpec();
    const model = createModel(spec);
    const optimizer = createTrainingOptimizer(spec.optimizer);

    const losses = runTrainStep({ model, optimizer }, firstBatch(), 1);

    assert.ok(losses.total > 0);
    assert.deepEqual(losses.terms, { reconstruction: losses.total });
    model.dispose();
    optimizer.dispose();
  });
});
