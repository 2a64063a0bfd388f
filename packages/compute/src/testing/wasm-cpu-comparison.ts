/**
 * Test support: runs one computation on the cpu backend (the reference)
 * and on the patched wasm backend in the same process, and compares the
 * results with a relative tolerance.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { configureWasmPaths } from '../wasm/configure-wasm.ts';
import { patchWasmBackend } from '../wasm/patch-wasm-backend.ts';

/** Default max-norm relative tolerance between wasm and cpu results. */
export const RELATIVE_TOLERANCE = 1e-4;

/** A computation that builds its tensors inside the active backend. */
export type Computation = () => tf.Tensor[];

/** One result read back to JavaScript. */
export interface ReadResult {
  shape: number[];
  values: Float32Array;
}

/** Initialises cpu and the patched wasm backend; leaves cpu active. */
export async function prepareBackends(): Promise<void> {
  configureWasmPaths();
  patchWasmBackend();
  assert.ok(await tf.setBackend('wasm'), 'wasm backend initialises');
  await tf.ready();
  assert.ok(await tf.setBackend('cpu'), 'cpu backend initialises');
  await tf.ready();
}

/**
 * Deterministic values uniform in [-1, 1), the same on every backend
 * (mulberry32), so both backends see identical inputs.
 */
export function randomValues(size: number, seed: number): Float32Array {
  const values = new Float32Array(size);
  let state = seed >>> 0;
  for (let i = 0; i < size; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    values[i] = unit * 2 - 1;
  }
  return values;
}

/** A tensor of `randomValues`, created on the active backend. */
export function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(randomValues(tf.util.sizeFromShape(shape), seed), shape);
}

/** Runs `compute` on `backend` and reads every result back. */
export async function runOn(
  backend: 'cpu' | 'wasm',
  compute: Computation,
): Promise<ReadResult[]> {
  await tf.setBackend(backend);
  const outputs = tf.tidy(compute);
  const results = outputs.map((tensor) => ({
    shape: tensor.shape,
    values: tensor.dataSync() as Float32Array,
  }));
  tf.dispose(outputs);
  return results;
}

/** max |actual - expected| / max |expected|: 0 when equal. */
export function relativeError(
  actual: Float32Array,
  expected: Float32Array,
): number {
  let maxDifference = 0;
  let maxMagnitude = 0;
  for (let i = 0; i < expected.length; i++) {
    const difference = Math.abs(actual[i]! - expected[i]!);
    // NaN must fail, and Math.max would hide it.
    maxDifference = Number.isNaN(difference)
      ? Infinity
      : Math.max(maxDifference, difference);
    maxMagnitude = Math.max(maxMagnitude, Math.abs(expected[i]!));
  }
  return maxDifference / Math.max(maxMagnitude, 1e-30);
}

/**
 * Asserts that `compute` gives the same shapes and, within `tolerance`,
 * the same values on wasm as on cpu. `labels` name the outputs in messages.
 */
export async function assertWasmMatchesCpu(
  compute: Computation,
  labels: readonly string[],
  tolerance = RELATIVE_TOLERANCE,
): Promise<void> {
  const expected = await runOn('cpu', compute);
  const actual = await runOn('wasm', compute);

  assert.equal(actual.length, expected.length, 'number of outputs');
  expected.forEach((reference, i) => {
    const label = labels[i] ?? `output ${i}`;
    const result = actual[i]!;
    assert.deepEqual(result.shape, reference.shape, `${label}: shape`);
    const error = relativeError(result.values, reference.values);
    assert.ok(
      error <= tolerance,
      `${label}: relative error ${error.toExponential(2)} > ${tolerance}`,
    );
  });
}

/**
 * `f(...inputs)`, then the gradients of sum(f(...inputs) * weights) with
 * respect to every input: random weights keep dy from being all ones.
 */
export function valueAndGradients(
  f: (...inputs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  seed = 7,
): tf.Tensor[] {
  const output = f(...inputs);
  const weights = randomTensor(output.shape, seed);
  const loss = (...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), weights));
  return [output, ...tf.grads(loss)(inputs)];
}
