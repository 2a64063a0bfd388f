import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

import { createTrainingOptimizer } from './training-optimizer.ts';

describe('createTrainingOptimizer', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('makes Adam, momentum SGD or plain SGD as the spec says', () => {
    const optimizers = [
      createTrainingOptimizer({
        kind: 'adam',
        learningRate: 0.001,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-7,
      }),
      createTrainingOptimizer({
        kind: 'sgd',
        learningRate: 0.1,
        momentum: 0.9,
        useNesterov: true,
      }),
      createTrainingOptimizer({ kind: 'sgd', learningRate: 0.1, momentum: 0, useNesterov: false }),
    ];

    assert.deepEqual(
      optimizers.map((optimizer) => optimizer.getClassName()),
      ['Adam', 'Momentum', 'SGD'],
    );
    optimizers.forEach((optimizer) => optimizer.dispose());
  });

  it("lets a schedule change Adam's rate between steps", () => {
    const optimizer = createTrainingOptimizer({
      kind: 'adam',
      learningRate: 0.1,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
    });
    const weight = tf.variable(tf.scalar(0), true, 'training-optimizer-test/weight');
    const gradient = tf.scalar(1);
    const step = () => optimizer.applyGradients([{ name: weight.name, tensor: gradient }]);

    // With a constant gradient Adam's normalised step is the rate itself.
    step();
    const afterFirst = weight.dataSync()[0]!;
    optimizer.setLearningRate(0.2);
    step();

    assert.ok(Math.abs(afterFirst + 0.1) < 1e-5, `${afterFirst}`);
    assert.ok(Math.abs(weight.dataSync()[0]! + 0.3) < 1e-5, `${weight.dataSync()[0]}`);
    tf.dispose([weight, gradient]);
    optimizer.dispose();
  });
});
