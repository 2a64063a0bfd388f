import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core alone registers no gradients; the union package's bundle does.
import '@tensorflow/tfjs';

import { ShapeError, createRandom } from '@hourglass/common';
import { RunSpec, type ShallowAutoencoderSpec } from '@hourglass/specs';

import { createModel } from './create-model.ts';
import { createShallowAutoencoder } from './shallow-autoencoder.ts';

const SPEC: ShallowAutoencoderSpec = {
  family: 'shallow-ae',
  channels: 64,
  kernelSize: 7,
  stride: 16,
  decoderKernelSize: 16,
  activation: 'relu',
};

function randomImages(shape: [number, number, number, number], seed: number): tf.Tensor4D {
  const random = createRandom(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor4d(Float32Array.from({ length: size }, () => random()), shape);
}

describe('shallow autoencoder', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  for (const size of [32, 64]) {
    it(`reconstructs a [2, ${size}, ${size}, 3] batch at the input's shape`, () => {
      const model = createShallowAutoencoder(SPEC, { seed: 1 });
      const x = randomImages([2, size, size, 3], 2);

      const { output, layers } = model.forward(x);

      assert.deepEqual(output.shape, [2, size, size, 3]);
      const code = [2, size / 16, size / 16, 64];
      assert.deepEqual(layers['encoder/conv']?.shape, code);
      assert.deepEqual(layers['encoder/activation']?.shape, code);
      tf.dispose([x, output, ...Object.values(layers)]);
      model.dispose();
    });
  }

  it('names its encoding layers before and after the nonlinearity', () => {
    const model = createShallowAutoencoder(SPEC, { seed: 1 });

    assert.deepEqual(model.encodingLayers, ['encoder/conv', 'encoder/activation']);
    assert.deepEqual(model.variableNames, [
      'encoder/conv/kernel',
      'encoder/conv/bias',
      'decoder/deconv/kernel',
      'decoder/deconv/bias',
    ]);
    model.dispose();
  });

  it('applies a sigmoid when the spec asks for one', () => {
    const model = createShallowAutoencoder({ ...SPEC, activation: 'sigmoid' }, { seed: 1 });
    const x = randomImages([1, 32, 32, 3], 3);

    const { layers } = model.forward(x);
    const conv = layers['encoder/conv']!.dataSync();
    const code = layers['encoder/activation']!.dataSync();

    conv.forEach((value, i) => {
      assert.ok(Math.abs(code[i]! - 1 / (1 + Math.exp(-value))) < 1e-6);
    });
    tf.dispose([x, ...Object.values(layers)]);
    model.dispose();
  });

  it('gives identical initial weights for the same seed, different for another', () => {
    const first = createShallowAutoencoder(SPEC, { seed: 7 });
    const second = createShallowAutoencoder(SPEC, { seed: 7 });
    const other = createShallowAutoencoder(SPEC, { seed: 8 });

    first.variables.forEach((variable, i) => {
      assert.deepEqual(variable.dataSync(), second.variables[i]!.dataSync());
    });
    const kernel = first.variables[0]!.dataSync();
    assert.notDeepEqual(kernel, other.variables[0]!.dataSync());
    [first, second, other].forEach((model) => model.dispose());
  });

  it('draws kernels within the Glorot limit and starts biases at zero', () => {
    const model = createShallowAutoencoder(SPEC, { seed: 3 });
    const [kernel, bias] = model.variables;

    const limit = Math.sqrt(6 / (7 * 7 * (3 + 64)));
    const values = kernel!.dataSync();
    assert.ok(values.every((value) => Math.abs(value) <= limit));
    assert.ok(Math.max(...values) > 0.9 * limit, 'values fill the interval');
    assert.ok(bias!.dataSync().every((value) => value === 0));
    model.dispose();
  });

  it('computes the loss as the mean squared reconstruction error', () => {
    const model = createShallowAutoencoder(SPEC, { seed: 4 });
    const x = randomImages([3, 32, 32, 3], 5);

    const { output } = model.forward(x);
    const { total, terms } = model.computeLoss(x);

    const reconstructed = output.dataSync();
    const pixels = x.dataSync();
    let sum = 0;
    pixels.forEach((value, i) => {
      sum += (reconstructed[i]! - value) ** 2;
    });
    const expected = sum / pixels.length;
    assert.ok(Math.abs(total.dataSync()[0]! - expected) < 1e-5 * Math.max(expected, 1));
    assert.deepEqual(Object.keys(terms), ['reconstruction']);
    assert.equal(terms['reconstruction']!.dataSync()[0], total.dataSync()[0]);
    tf.dispose([x, output, total, ...Object.values(terms)]);
    model.dispose();
  });

  it('lowers the loss on a fixed batch over 30 Adam steps', () => {
    const model = createShallowAutoencoder({ ...SPEC, channels: 16 }, { seed: 6 });
    const x = randomImages([4, 32, 32, 3], 7);
    const optimizer = tf.train.adam(0.01);
    const lossAt = () => tf.tidy(() => model.computeLoss(x).total.dataSync()[0]!);

    const initial = lossAt();
    for (let step = 0; step < 30; step += 1) {
      optimizer.minimize(() => model.computeLoss(x).total, false, [...model.variables]);
    }
    const final = lossAt();

    assert.ok(final < 0.5 * initial, `loss went from ${initial} to ${final}`);
    optimizer.dispose();
    x.dispose();
    model.dispose();
  });

  it('keeps only the loss itself alive after computeLoss', () => {
    const model = createShallowAutoencoder(SPEC, { seed: 1 });
    const x = randomImages([1, 32, 32, 3], 1);
    const before = tf.memory().numTensors;

    const { total } = model.computeLoss(x);

    assert.equal(tf.memory().numTensors, before + 1);
    total.dispose();
    x.dispose();
    model.dispose();
  });

  it('rejects a batch that is not [n, h, w, 3] with a ShapeError', () => {
    const model = createShallowAutoencoder(SPEC, { seed: 1 });
    const gray = tf.zeros([2, 32, 32, 1]) as tf.Tensor4D;
    const flat = tf.zeros([2, 32, 32]) as unknown as tf.Tensor4D;

    assert.throws(() => model.forward(gray), {
      name: 'ShapeError',
      message: 'in ShallowAutoencoder.forward: expected [n, h, w, 3], got [2, 32, 32, 1]',
    });
    assert.throws(() => model.computeLoss(flat), ShapeError);
    tf.dispose([gray, flat]);
    model.dispose();
  });

  it('hands out a copy of its first-layer kernels [7, 7, 3, 64]', () => {
    const model = createShallowAutoencoder(SPEC, { seed: 1 });

    const kernels = model.firstLayerKernels();
    assert.deepEqual(kernels.shape, [7, 7, 3, 64]);
    kernels.dispose();
    assert.equal(model.variables[0]!.isDisposed, false);
    model.dispose();
  });

  it('is built by createModel from a run spec with the spec seed', () => {
    const spec = RunSpec.parse({ model: { family: 'shallow-ae' }, seed: 11 });
    assert.equal(spec.model.family, 'shallow-ae');
    const fromSpec = createModel(spec);
    const direct = createShallowAutoencoder(spec.model, { seed: 11 });

    assert.equal(fromSpec.family, 'shallow-ae');
    assert.deepEqual(fromSpec.variables[2]!.dataSync(), direct.variables[2]!.dataSync());
    fromSpec.dispose();
    direct.dispose();
  });
});
