import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

import { createRandom } from '@hourglass/common';

import { computeSamePadding } from './same-padding.ts';
import { createShallowAutoencoder } from './shallow-autoencoder.ts';

interface Case {
  height: number;
  width: number;
  kernelSize: number;
  stride: number;
  decoderKernelSize: number;
}

const CASES: Case[] = [
  { height: 32, width: 32, kernelSize: 7, stride: 16, decoderKernelSize: 16 },
  { height: 9, width: 9, kernelSize: 3, stride: 2, decoderKernelSize: 5 },
  { height: 10, width: 10, kernelSize: 4, stride: 3, decoderKernelSize: 2 },
  { height: 13, width: 11, kernelSize: 5, stride: 4, decoderKernelSize: 7 },
  // The decoder's full output (11) falls short of 12 and is zero-filled.
  { height: 12, width: 12, kernelSize: 4, stride: 3, decoderKernelSize: 2 },
];

function randomImages(shape: [number, number, number, number], seed: number): tf.Tensor4D {
  const random = createRandom(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor4d(Float32Array.from({ length: size }, () => random()), shape);
}

function buildModel(testCase: Case) {
  const { kernelSize, stride, decoderKernelSize } = testCase;
  const spec = { kernelSize, stride, decoderKernelSize };
  return createShallowAutoencoder(
    { family: 'shallow-ae', channels: 4, activation: 'relu', ...spec },
    { seed: 5 },
  );
}

function maxAbsDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

const name = (c: Case) =>
  `${c.height}x${c.width}, kernel ${c.kernelSize}, stride ${c.stride}, ` +
  `decoder kernel ${c.decoderKernelSize}`;

describe('computeSamePadding', () => {
  it('puts the odd pixel after, as TensorFlow does', () => {
    assert.deepEqual(computeSamePadding(9, 4, 1), { before: 1, after: 2, outputSize: 9 });
    assert.deepEqual(computeSamePadding(32, 7, 16), { before: 0, after: 0, outputSize: 2 });
    assert.deepEqual(computeSamePadding(33, 7, 16), { before: 3, after: 3, outputSize: 3 });
    assert.deepEqual(computeSamePadding(10, 4, 3), { before: 1, after: 2, outputSize: 4 });
  });
});

describe('shallow autoencoder padding', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  after(async () => {
    await tf.setBackend('cpu');
  });

  for (const testCase of CASES) {
    it(`matches TensorFlow's 'same' ops on the cpu backend (${name(testCase)})`, () => {
      const model = buildModel(testCase);
      const { height, width, stride } = testCase;
      const x = randomImages([2, height, width, 3], 9);
      const variables = model.variables as tf.Variable<tf.Rank.R4>[];
      const [kernel, bias, decoderKernel, decoderBias] = variables;

      const reference = tf.tidy(() => {
        const conv = tf.add(tf.conv2d(x, kernel!, stride, 'same'), bias!) as tf.Tensor4D;
        const code = tf.relu(conv);
        const shape: [number, number, number, number] = [2, height, width, 3];
        const painted = tf.conv2dTranspose(code, decoderKernel!, shape, stride, 'same');
        return tf.add(painted, decoderBias!);
      });
      const { output, layers } = model.forward(x);

      assert.ok(maxAbsDifference(output, reference) < 1e-5);
      tf.dispose([x, reference, ...Object.values(layers)]);
      model.dispose();
    });
  }

  for (const testCase of CASES.slice(0, 2)) {
    it(`gives the cpu backend's output on wasm (${name(testCase)})`, async () => {
      const model = buildModel(testCase);
      const x = randomImages([2, testCase.height, testCase.width, 3], 10);

      await tf.setBackend('cpu');
      const onCpu = tf.tidy(() => model.forward(x).output.dataSync());
      await tf.setBackend('wasm');
      const onWasm = tf.tidy(() => model.forward(x).output.dataSync());
      await tf.setBackend('cpu');

      let difference = 0;
      onCpu.forEach((value, i) => {
        difference = Math.max(difference, Math.abs(value - onWasm[i]!));
      });
      assert.ok(difference < 1e-4, `outputs differ by ${difference}`);
      x.dispose();
      model.dispose();
    });
  }
});
