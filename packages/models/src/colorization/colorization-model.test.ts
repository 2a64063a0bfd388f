import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core alone registers no gradients; the union package's bundle does.
import '@tensorflow/tfjs';

import { ShapeError } from '@hourglass/common';
import type { ColorizationSpec } from '@hourglass/specs';

import { disposeForward, randomImages } from '../testing/model-test-support.ts';

import { computeAbBins } from './ab-bins.ts';
import { convertSrgbImagesToLab } from './cielab-ops.ts';
import { createUniformRebalancingWeights } from './class-rebalancing.ts';
import { createColorizationModel } from './colorization-model.ts';
import { renderColorization } from './render-colorization.ts';

const SPEC: ColorizationSpec = {
  family: 'colorization',
  channels: 8,
  kernelSize: 3,
  gridSize: 10,
  binSet: 'zhang-2016',
  softEncodingNeighbors: 5,
  softEncodingSigma: 5,
  rebalancingSigma: 5,
  rebalancingLambda: 0.5,
  temperature: 0.38,
};
const Q = computeAbBins(10, 'zhang-2016').count;
const UNIFORM = createUniformRebalancingWeights(computeAbBins(10, 'zhang-2016'));

function build(seed = 1, spec: ColorizationSpec = SPEC) {
  return createColorizationModel(spec, { seed, rebalancingWeights: UNIFORM });
}

describe('colorization model', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  for (const size of [32, 30]) {
    it(`colorizes a [2, ${size}, ${size}, 3] batch with logits at a quarter size`, () => {
      const model = build();
      const x = randomImages([2, size, size, 3], 2);

      const { output, layers } = model.forward(x);

      const c = SPEC.channels;
      const [half, quarter, eighth] = [2, 4, 8].map((f) => Math.ceil(size / f));
      assert.deepEqual(output.shape, [2, size, size, 3]);
      assert.deepEqual(layers['encoder/conv1']?.shape, [2, half, half, c]);
      assert.deepEqual(layers['encoder/conv2']?.shape, [2, quarter, quarter, 2 * c]);
      assert.deepEqual(layers['encoder/conv3']?.shape, [2, eighth, eighth, 4 * c]);
      assert.deepEqual(layers['encoder/conv4']?.shape, [2, eighth, eighth, 4 * c]);
      assert.deepEqual(layers['decoder/deconv']?.shape, [2, quarter, quarter, 2 * c]);
      assert.deepEqual(layers['decoder/logits']?.shape, [2, quarter, quarter, Q]);
      assert.deepEqual(layers['decoder/ab']?.shape, [2, size, size, 2]);
      assert.ok(output.dataSync().every((value) => value >= 0 && value <= 1));
      disposeForward({ output, layers });
      x.dispose();
      model.dispose();
    });
  }

  it('renders the input back from its own L and ab', () => {
    const x = randomImages([1, 8, 8, 3], 3);

    const back = tf.tidy(() => {
      const [lightness, ab] = tf.split(convertSrgbImagesToLab(x), [1, 2], 3);
      return renderColorization(lightness as tf.Tensor4D, ab as tf.Tensor4D);
    });

    const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(back, x))).dataSync()[0]!);
    assert.ok(difference < 1e-4, `differs by ${difference}`);
    tf.dispose([x, back]);
  });

  it('names its encoding layers and variables', () => {
    const model = build();

    assert.equal(model.family, 'colorization');
    assert.deepEqual(model.encodingLayers, [
      'encoder/conv1',
      'encoder/conv2',
      'encoder/conv3',
      'encoder/conv4',
    ]);
    const layers = [
      ...model.encodingLayers,
      'decoder/deconv',
      'decoder/logits',
    ];
    assert.deepEqual(
      model.variableNames,
      layers.flatMap((layer) => [`${layer}/kernel`, `${layer}/bias`]),
    );
    assert.deepEqual(model.variables[10]!.shape, [1, 1, 16, Q]);
    model.dispose();
  });

  it('gives identical initial weights for the same seed, different for another', () => {
    const [first, second, other] = [build(7), build(7), build(8)];

    first.variables.forEach((variable, i) => {
      assert.deepEqual(variable.dataSync(), second.variables[i]!.dataSync());
    });
    assert.notDeepEqual(first.variables[2]!.dataSync(), other.variables[2]!.dataSync());
    [first, second, other].forEach((model) => model.dispose());
  });

  it('reports the loss as its cross_entropy term, about log Q at the start', () => {
    const model = build(4);
    const x = randomImages([2, 16, 16, 3], 5);

    const { total, terms, metrics } = model.computeLoss(x);

    assert.deepEqual(Object.keys(terms), ['cross_entropy']);
    assert.deepEqual(Object.keys(metrics ?? {}), ['ab_error']);
    assert.equal(terms['cross_entropy'], total);
    const loss = total.dataSync()[0]!;
    assert.ok(Math.abs(loss - Math.log(Q)) < 1.5, `loss ${loss}, log Q ${Math.log(Q)}`);
    tf.dispose([x, total, ...Object.values(metrics ?? {})]);
    model.dispose();
  });

  it('scales each pixel of the loss by the weight of its nearest bin', () => {
    const x = randomImages([1, 8, 8, 3], 6);
    const doubled = new Float32Array(Q).fill(2);
    const plain = build(9);
    const weighted = createColorizationModel(SPEC, { seed: 9, rebalancingWeights: doubled });

    const [a, b] = [plain, weighted].map((model) =>
      tf.tidy(() => model.computeLoss(x).total.dataSync()[0]!),
    );

    assert.ok(Math.abs(b! - 2 * a!) < 1e-4 * a!);
    [plain, weighted].forEach((model) => model.dispose());
    x.dispose();
  });

  it('keeps only the loss and its ab error alive after computeLoss', () => {
    const model = build();
    const x = randomImages([1, 8, 8, 3], 1);
    const before = tf.memory().numTensors;

    const { total, metrics } = model.computeLoss(x);

    assert.equal(tf.memory().numTensors, before + 2);
    tf.dispose([total, x, ...Object.values(metrics ?? {})]);
    model.dispose();
  });

  it('reports the mean ab error of its decoded colours, in training and held out', () => {
    const model = build(12);
    const x = randomImages([2, 8, 8, 3], 11);

    const { total, metrics } = model.computeLoss(x);
    const validation = model.computeValidationMetrics!(x, tf.zeros([2], 'int32'));

    // By hand: the annealed-mean ab of the forward pass against x's ab.
    const expected = tf.tidy(() => {
      const truth = tf.slice(convertSrgbImagesToLab(x), [0, 0, 0, 1], -1);
      const predicted = model.forward(x).layers['decoder/ab']!;
      const distance = tf.sqrt(tf.sum(tf.squaredDifference(predicted, truth), 3));
      return tf.mean(distance).dataSync()[0]!;
    });
    const training = metrics?.['ab_error']?.dataSync()[0];
    const heldOut = validation['ab_error']?.dataSync()[0];
    assert.ok(expected > 0 && expected < 150, `ab error ${expected}`);
    assert.ok(Math.abs(training! - expected) < 1e-4 * expected);
    assert.ok(Math.abs(heldOut! - expected) < 1e-4 * expected);
    tf.dispose([x, total, ...Object.values(metrics ?? {}), ...Object.values(validation)]);
    model.dispose();
  });

  it('hands out its first-layer kernels repeated over RGB as [3, 3, 3, c]', () => {
    const model = build();

    const kernels = model.firstLayerKernels();

    assert.deepEqual(kernels.shape, [3, 3, 3, 8]);
    const [red, green, blue] = tf.split(kernels, 3, 2).map((t) => t.dataSync());
    assert.deepEqual(red, model.variables[0]!.dataSync());
    assert.deepEqual(green, red);
    assert.deepEqual(blue, red);
    kernels.dispose();
    assert.equal(model.variables[0]!.isDisposed, false);
    model.dispose();
  });

  it('rejects a batch that is not [n, h, w, 3] with a ShapeError', () => {
    const model = build();
    const gray = tf.zeros([2, 16, 16, 1]) as tf.Tensor4D;

    assert.throws(() => model.forward(gray), {
      name: 'ShapeError',
      message: 'in ColorizationModel.forward: expected [n, h, w, 3], got [2, 16, 16, 1]',
    });
    assert.throws(() => model.computeLoss(gray), ShapeError);
    gray.dispose();
    model.dispose();
  });

  it('rejects rebalancing weights that do not have one entry per bin', () => {
    assert.throws(
      () => createColorizationModel(SPEC, { seed: 1, rebalancingWeights: new Float32Array(309) }),
      { message: `in createColorizationModel: expected rebalancing weights [${Q}], got [309]` },
    );
  });
});
