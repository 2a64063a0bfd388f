import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';

import { AlexNetSpec as AlexNetSchema, type AlexNetSpec } from '@hourglass/specs';

import { createAlexNetClassifier } from './alexnet-classifier.ts';
import { softmaxCrossEntropy, topOneAccuracy } from './classification-losses.ts';
import {
  assertWasmMatchesCpu,
  disposeForward,
  prepareBackends,
  randomImages,
  randomLabels,
  trainOnFixedBatch,
} from './testing/model-test-support.ts';

const SMALL: AlexNetSpec = {
  family: 'alexnet',
  variant: 'small',
  classCount: 10,
  widthMultiplier: 0.125,
  dropoutRate: 0.5,
};

describe('AlexNet classifier', () => {
  before(() => prepareBackends('cpu'));

  describe('softmaxCrossEntropy and topOneAccuracy', () => {
    it('give -mean log softmax at the label and the share of argmax hits', () => {
      const logits = [
        [2, 0.5, -1],
        [0, 0, 3],
        [1, 4, 1],
      ];
      const labels = [0, 1, 1];

      const crossEntropy = softmaxCrossEntropy(tf.tensor2d(logits), tf.tensor1d(labels, 'int32'));
      const top1 = topOneAccuracy(tf.tensor2d(logits), tf.tensor1d(labels, 'int32'));

      let sum = 0;
      logits.forEach((row, i) => {
        const logNormaliser = Math.log(row.reduce((total, l) => total + Math.exp(l), 0));
        sum += logNormaliser - row[labels[i]!]!;
      });
      assert.ok(Math.abs(crossEntropy.dataSync()[0]! - sum / 3) < 1e-6);
      assert.ok(Math.abs(top1.dataSync()[0]! - 2 / 3) < 1e-7, 'rows 0 and 2 are right');
      tf.dispose([crossEntropy, top1]);
    });
  });

  for (const size of [32, 64]) {
    it(`classifies a [2, ${size}, ${size}, 3] batch with the small layout`, () => {
      const model = createAlexNetClassifier(SMALL, { seed: 1, imageSize: size });
      const x = randomImages([2, size, size, 3], 2);

      const result = model.forward(x);

      // conv1 keeps the size; each 3x3 stride-2 pool gives floor((a - 3) / 2) + 1.
      const pooled = (side: number) => Math.floor((side - 3) / 2) + 1;
      const [p1, p2] = [pooled(size), pooled(pooled(size))];
      assert.deepEqual(result.output.shape, [2, 10]);
      assert.deepEqual(result.layers['conv1']?.shape, [2, size, size, 8]);
      assert.deepEqual(result.layers['conv2']?.shape, [2, p1, p1, 24]);
      assert.deepEqual(result.layers['conv5']?.shape, [2, p2, p2, 32]);
      assert.deepEqual(result.layers['fc6']?.shape, [2, 1, 1, 48]);
      assert.deepEqual(result.layers['fc7']?.shape, [2, 1, 1, 24]);
      assert.deepEqual(result.layers['fc8']?.shape, [2, 1, 1, 10]);
      assert.deepEqual(model.encodingLayers, [
        'conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7', 'fc8',
      ]);
      disposeForward(result);
      x.dispose();
      model.dispose();
    });
  }

  it('trains one step at 224x224 with the full layout (batch 2)', async () => {
    await tf.setBackend('wasm');
    const spec = AlexNetSchema.parse({ family: 'alexnet', variant: 'full', classCount: 10 });
    const model = createAlexNetClassifier(spec, { seed: 1, imageSize: 224 });
    const x = randomImages([2, 224, 224, 3], 2);
    const labels = randomLabels(2, 10, 3);

    const result = model.forward(x);
    const shapes = Object.fromEntries(
      ['conv1', 'conv2', 'conv5', 'fc6', 'fc7'].map((name) => [name, result.layers[name]!.shape]),
    );
    disposeForward(result);
    const { initial, final } = trainOnFixedBatch(model, x, {
      steps: 1,
      learningRate: 0.01,
      labels,
      optimizer: 'sgd',
    });

    assert.deepEqual(shapes, {
      conv1: [2, 56, 56, 96],
      conv2: [2, 27, 27, 256],
      conv5: [2, 13, 13, 256],
      fc6: [2, 1, 1, 4096],
      fc7: [2, 1, 1, 4096],
    });
    assert.ok(Number.isFinite(initial) && Number.isFinite(final));
    assert.ok(final < initial, `loss went from ${initial} to ${final}`);
    tf.dispose([x, labels]);
    model.dispose();
    await tf.setBackend('cpu');
  });

  it('has first-layer kernels of [11, 11, 3, 96] in the full layout', () => {
    const spec = { ...SMALL, variant: 'full' as const, widthMultiplier: 1 };
    const model = createAlexNetClassifier(spec, { seed: 1, imageSize: 64 });

    const kernels = model.firstLayerKernels();

    assert.deepEqual(kernels.shape, [11, 11, 3, 96]);
    kernels.dispose();
    model.dispose();
  });

  it('needs labels to compute its loss', () => {
    const model = createAlexNetClassifier(SMALL, { seed: 1, imageSize: 32 });
    const x = randomImages([2, 32, 32, 3], 2);

    assert.throws(() => model.computeLoss(x), {
      name: 'ShapeError',
      message: 'in AlexNetClassifier.computeLoss: expected labels [2], got []',
    });
    x.dispose();
    model.dispose();
  });

  it('drops the same units for the same noise seed, none when evaluating', () => {
    const model = createAlexNetClassifier(SMALL, { seed: 1, imageSize: 32 });
    const x = randomImages([2, 32, 32, 3], 2);
    const labels = randomLabels(2, 10, 3);
    const lossWith = (noiseSeed: number) =>
      tf.tidy(() => model.computeLoss(x, labels, { noiseSeed }).total.dataSync()[0]!);
    const evaluate = () => tf.tidy(() => model.forward(x).output.dataSync());

    assert.equal(lossWith(4), lossWith(4));
    assert.notEqual(lossWith(4), lossWith(5));
    assert.deepEqual(evaluate(), evaluate());
    tf.dispose([x, labels]);
    model.dispose();
  });

  it('reports top-1 on held-out images', () => {
    const model = createAlexNetClassifier(SMALL, { seed: 1, imageSize: 32 });
    const x = randomImages([4, 32, 32, 3], 2);
    const labels = randomLabels(4, 10, 3);

    const metrics = model.computeValidationMetrics!(x, labels);
    const logits = model.forward(x);
    const predicted = tf.tidy(() => tf.argMax(logits.output, 1).dataSync());
    const truth = labels.dataSync();

    const hits = predicted.filter((label, i) => label === truth[i]).length;
    assert.deepEqual(Object.keys(metrics), ['top1']);
    assert.equal(metrics['top1']!.dataSync()[0], hits / 4);
    tf.dispose([x, labels, ...Object.values(metrics)]);
    disposeForward(logits);
    model.dispose();
  });

  it('lowers the cross-entropy on a fixed batch over 30 Adam steps', async () => {
    await tf.setBackend('wasm');
    const model = createAlexNetClassifier(
      { ...SMALL, widthMultiplier: 0.25, dropoutRate: 0 },
      { seed: 6, imageSize: 32 },
    );
    const x = randomImages([8, 32, 32, 3], 7);
    const labels = randomLabels(8, 10, 8);

    const { initial, final } = trainOnFixedBatch(model, x, {
      steps: 30,
      learningRate: 1e-3,
      labels,
    });

    // From ln 10 the loss falls to 0.5-0.6 of it in 30 steps; how far
    // exactly depends on the kernels' summation order (Adam on 8 images
    // amplifies last-bit differences after about 8 steps), so the bound
    // leaves room for that.
    assert.ok(final < 0.7 * initial, `loss went from ${initial} to ${final}`);
    tf.dispose([x, labels]);
    model.dispose();
    await tf.setBackend('cpu');
  });

  for (const { variant, size } of [
    { variant: 'small', size: 16 },
    { variant: 'full', size: 64 },
  ] as const) {
    it(`computes the same loss and gradients on wasm as on cpu (${variant}, ${size}px)`,
      async () => {
        const model = createAlexNetClassifier(
          { ...SMALL, variant, widthMultiplier: 1 / 16, dropoutRate: 0.5 },
          { seed: 4, imageSize: size },
        );
        const x = randomImages([2, size, size, 3], 5);
        const labels = randomLabels(2, 10, 6);

        await assertWasmMatchesCpu(model, x, labels);

        tf.dispose([x, labels]);
        model.dispose();
      });
  }
});
