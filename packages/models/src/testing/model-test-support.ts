/**
 * Shared helpers for this package's tests (not exported): seeded inputs,
 * the patched wasm backend next to the cpu reference, and a comparison
 * of a model's loss and gradients on both.
 */
import assert from 'node:assert/strict';

import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients; the union package's bundle does.
import '@tensorflow/tfjs';

import { createRandom } from '@hourglass/common';
import { resolveBackend } from '@hourglass/compute';

import type { LossOptions, VisionModel } from '../vision-model.ts';

/** Seeded pixels uniform in [0, 1), [n, h, w, 3]. */
export function randomImages(
  shape: [number, number, number, number],
  seed: number,
): tf.Tensor4D {
  const random = createRandom(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor4d(Float32Array.from({ length: size }, () => random()), shape);
}

/**
 * Seeded smooth images [n, size, size, 3]: per image and channel a
 * brightness plus horizontal and vertical ramps, in [0, 1]. Unlike noise,
 * they lie near a low-dimensional set that a small latent can capture.
 */
export function smoothImages(n: number, size: number, seed: number): tf.Tensor4D {
  const random = createRandom(seed);
  const values = new Float32Array(n * size * size * 3);
  for (let image = 0; image < n; image += 1) {
    const ramps = Array.from({ length: 9 }, () => random());
    for (let row = 0; row < size; row += 1) {
      for (let column = 0; column < size; column += 1) {
        for (let channel = 0; channel < 3; channel += 1) {
          const [base, across, down] = ramps.slice(3 * channel, 3 * channel + 3);
          const value =
            0.5 * base! + 0.25 * across! * (column / size) + 0.25 * down! * (row / size);
          values[((image * size + row) * size + column) * 3 + channel] = value;
        }
      }
    }
  }
  return tf.tensor4d(values, [n, size, size, 3]);
}

/** Seeded labels in 0..classCount - 1, [n] int32. */
export function randomLabels(n: number, classCount: number, seed: number): tf.Tensor1D {
  const random = createRandom(seed);
  const labels = Int32Array.from({ length: n }, () => Math.floor(random() * classCount));
  return tf.tensor1d(labels, 'int32');
}

/**
 * Initialises the patched wasm backend (as workers use it) and the cpu
 * backend, and leaves `active` selected.
 */
export async function prepareBackends(active: 'cpu' | 'wasm' = 'cpu'): Promise<void> {
  await resolveBackend('wasm');
  await tf.setBackend(active);
}

/** max |actual - expected| / max |expected|: 0 when equal, NaN fails. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length, 'lengths differ');
  let maxDifference = 0;
  let maxMagnitude = 0;
  for (let i = 0; i < expected.length; i += 1) {
    const difference = Math.abs(actual[i]! - expected[i]!);
    maxDifference = Number.isNaN(difference) ? Infinity : Math.max(maxDifference, difference);
    maxMagnitude = Math.max(maxMagnitude, Math.abs(expected[i]!));
  }
  return maxDifference / Math.max(maxMagnitude, 1e-30);
}

interface LossAndGradients {
  output: Float32Array;
  loss: number;
  gradients: Float32Array[];
}

function computeLossAndGradients(
  model: VisionModel,
  x: tf.Tensor4D,
  labels: tf.Tensor | undefined,
  options: LossOptions,
): LossAndGradients {
  const output = tf.tidy(() => model.forward(x).output.dataSync() as Float32Array);
  const variables = [...model.variables];
  const { value, grads } = tf.variableGrads(
    () => model.computeLoss(x, labels, options).total,
    variables,
  );
  const gradients = variables.map((variable) => {
    const gradient = grads[variable.name];
    assert.ok(gradient, `no gradient for ${variable.name}`);
    return gradient.dataSync() as Float32Array;
  });
  const loss = value.dataSync()[0]!;
  tf.dispose([value, ...Object.values(grads)]);
  return { output, loss, gradients };
}

/**
 * Asserts that the forward output, the loss and the gradient of every
 * variable agree on wasm and cpu within `tolerance` (max-norm, relative),
 * and leaves cpu active.
 */
export async function assertWasmMatchesCpu(
  model: VisionModel,
  x: tf.Tensor4D,
  labels?: tf.Tensor,
  tolerance = 1e-4,
): Promise<void> {
  const options = { noiseSeed: 17 };
  await tf.setBackend('cpu');
  const expected = computeLossAndGradients(model, x, labels, options);
  await tf.setBackend('wasm');
  const actual = computeLossAndGradients(model, x, labels, options);
  await tf.setBackend('cpu');

  const outputError = relativeError(actual.output, expected.output);
  assert.ok(outputError <= tolerance, `output differs by ${outputError.toExponential(2)}`);
  const lossError = relativeError([actual.loss], [expected.loss]);
  assert.ok(lossError <= tolerance, `loss ${actual.loss} vs ${expected.loss}`);
  expected.gradients.forEach((gradient, i) => {
    const error = relativeError(actual.gradients[i]!, gradient);
    const name = model.variableNames[i];
    assert.ok(error <= tolerance, `gradient of ${name} differs by ${error.toExponential(2)}`);
  });
}

/** How trainOnFixedBatch trains. */
export interface FixedBatchTraining {
  steps: number;
  learningRate: number;
  labels?: tf.Tensor;
  /**
   * Adam by default. Plain SGD for very large models: tfjs's Adam takes
   * seconds on wasm to create its slots for AlexNet's 58M parameters.
   */
  optimizer?: 'adam' | 'sgd';
}

/**
 * Trains `model` on the fixed batch x for `steps` updates and returns the
 * loss before and after (both with the same noise seed).
 */
export function trainOnFixedBatch(
  model: VisionModel,
  x: tf.Tensor4D,
  options: FixedBatchTraining,
): { initial: number; final: number } {
  const { steps, learningRate, labels } = options;
  const lossAt = () =>
    tf.tidy(() => model.computeLoss(x, labels, { noiseSeed: 0 }).total.dataSync()[0]!);
  const optimizer =
    options.optimizer === 'sgd' ? tf.train.sgd(learningRate) : tf.train.adam(learningRate);
  const initial = lossAt();
  for (let step = 0; step < steps; step += 1) {
    // Step 0 draws the noise the losses are measured with.
    optimizer.minimize(
      () => model.computeLoss(x, labels, { noiseSeed: step }).total,
      false,
      [...model.variables],
    );
  }
  const final = lossAt();
  optimizer.dispose();
  return { initial, final };
}

/** Disposes every tensor of a forward pass. */
export function disposeForward(result: { output: tf.Tensor; layers: Record<string, tf.Tensor> }) {
  tf.dispose([result.output, ...Object.values(result.layers)]);
}
