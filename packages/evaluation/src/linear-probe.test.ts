import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';
import { ValidationError, permutation } from '@hourglass/common';

import { runLinearProbe } from './linear-probe.ts';
import {
  disposeClassifier,
  predictClasses,
  trainSoftmaxClassifier,
} from './softmax-classifier.ts';
import { computeTopKAccuracy } from './top-k-accuracy.ts';
import { clusteredFeatures, useWasmBackend } from './test-support.ts';

describe('runLinearProbe', () => {
  before(useWasmBackend);

  it('reaches top-1 near 1 on linearly separable features', () => {
    const train = clusteredFeatures(500, 40, 10, 3, 1);
    const test = clusteredFeatures(200, 40, 10, 3, 1);

    const result = runLinearProbe(train, test, { epochs: 10 });

    assert.ok(result.top1 > 0.97, `top-1 ${result.top1}`);
    assert.equal(result.top5, undefined);
    assert.equal(result.classes, 10);
    tf.dispose([train.features, test.features]);
  });

  it('stays near chance when the training labels are shuffled', () => {
    const train = clusteredFeatures(500, 40, 10, 3, 2);
    const test = clusteredFeatures(400, 40, 10, 3, 2);
    const order = permutation(500, 3);
    const shuffled = Int32Array.from(order, (i) => train.labels[i]!);

    const result = runLinearProbe(
      { features: train.features, labels: shuffled },
      test,
      { epochs: 10 },
    );

    assert.ok(Math.abs(result.top1 - 0.1) < 0.06, `top-1 ${result.top1}`);
    tf.dispose([train.features, test.features]);
  });

  it('reports top-5 when there are more than 10 classes', () => {
    const train = clusteredFeatures(600, 30, 20, 1, 4);
    const test = clusteredFeatures(200, 30, 20, 1, 4);

    const result = runLinearProbe(train, test, { epochs: 5 });

    assert.ok(result.top5 !== undefined && result.top5 >= result.top1);
    tf.dispose([train.features, test.features]);
  });
});

describe('trainSoftmaxClassifier', () => {
  before(useWasmBackend);

  it('is the same for the same seed and leaves no tensors behind', () => {
    const { features, labels } = clusteredFeatures(120, 8, 3, 1, 5);
    const before = tf.memory().numTensors;

    const first = trainSoftmaxClassifier(features, labels, { epochs: 2 });
    const again = trainSoftmaxClassifier(features, labels, { epochs: 2 });

    assert.deepEqual(first.weights.dataSync(), again.weights.dataSync());
    assert.deepEqual(
      predictClasses(first, features),
      predictClasses(again, features),
    );
    disposeClassifier(first);
    disposeClassifier(again);
    assert.equal(tf.memory().numTensors, before);
    features.dispose();
  });

  it('refuses labels that are not class indices', () => {
    const features = tf.zeros([3, 2]) as tf.Tensor2D;

    assert.throws(
      () => trainSoftmaxClassifier(features, [0, 1.5, 1]),
      ValidationError,
    );
    features.dispose();
  });
});

describe('computeTopKAccuracy', () => {
  before(useWasmBackend);

  it('counts a hit when the label is among the k best scores', () => {
    const scores = tf.tensor2d([
      [0.1, 0.5, 0.4],
      [0.7, 0.2, 0.1],
    ]);

    assert.equal(computeTopKAccuracy(scores, [2, 0], 1), 0.5);
    assert.equal(computeTopKAccuracy(scores, [2, 0], 2), 1);
    scores.dispose();
  });
});
