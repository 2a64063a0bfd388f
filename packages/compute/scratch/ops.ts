import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { patchWasmBackend } from '../src/index.ts';
console.log(patchWasmBackend(), patchWasmBackend());
await tf.setBackend('wasm'); await tf.ready();
await tf.setBackend('cpu'); await tf.ready();
const r = (s: number[], seed: number) => tf.randomNormal(s, 0, 1, 'float32', seed);
const pos = (s: number[], seed: number) => tf.add(tf.abs(r(s, seed)), 0.5);
async function both(name: string, f: () => tf.Tensor[]) {
  const res: Record<string, Float32Array[]> = {};
  for (const b of ['cpu', 'wasm']) {
    await tf.setBackend(b);
    try { const outs = tf.tidy(f); res[b] = outs.map((t) => t.dataSync() as Float32Array); tf.dispose(outs); }
    catch (e) { console.log(name, b, 'ERR', (e as Error).message.slice(0, 120)); return; }
  }
  const d = res.cpu!.map((a, i) => { const w = res.wasm![i]!; let m = 0, s = 0;
    for (let j = 0; j < a.length; j++) { m = Math.max(m, Math.abs(a[j]! - w[j]!)); s = Math.max(s, Math.abs(a[j]!)); }
    return a.length !== w.length ? 'LEN' : (m / Math.max(s, 1e-12)).toExponential(1); });
  console.log(name.padEnd(24), d.join(' '));
}
type F = (...xs: tf.Tensor[]) => tf.Tensor;
function g(name: string, f: F, ins: () => tf.Tensor[]) {
  return both(name, () => { const xs = ins(); const y = f(...xs); const w = r(y.shape, 99);
    return [y, ...tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), w)))(xs)]; });
}
const S = [2, 5, 6, 3];
await g('relu', (a) => tf.relu(a), () => [r(S, 1)]);
await g('relu at 0', (a) => tf.relu(a), () => [tf.zeros(S)]);
await g('sigmoid', (a) => tf.sigmoid(a), () => [r(S, 1)]);
await g('tanh', (a) => tf.tanh(a), () => [r(S, 1)]);
await g('exp', (a) => tf.exp(a), () => [r(S, 1)]);
await g('log', (a) => tf.log(a), () => [pos(S, 1)]);
await g('sqrt', (a) => tf.sqrt(a), () => [pos(S, 1)]);
await g('square', (a) => tf.square(a), () => [r(S, 1)]);
await g('abs', (a) => tf.abs(a), () => [r(S, 1)]);
await g('abs at 0', (a) => tf.abs(a), () => [tf.zeros(S)]);
await g('matMul', (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), () => [r([7, 5], 1), r([5, 9], 2)]);
await g('matMul tT', (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, true), () => [r([5, 7], 1), r([9, 5], 2)]);
await g('add bcast', (a, b) => tf.add(a, b), () => [r(S, 1), r([3], 2)]);
await g('sub bcast', (a, b) => tf.sub(a, b), () => [r(S, 1), r([6, 1], 2)]);
await g('mul bcast', (a, b) => tf.mul(a, b), () => [r(S, 1), r([1, 5, 1, 3], 2)]);
await g('div bcast', (a, b) => tf.div(a, b), () => [r(S, 1), pos([3], 2)]);
await g('mean', (a) => tf.mean(a, [1, 2]), () => [r(S, 1)]);
await g('mean all', (a) => tf.mean(a), () => [r(S, 1)]);
await g('sum', (a) => tf.sum(a, -1, true), () => [r(S, 1)]);
await g('softmax', (a) => tf.softmax(a), () => [r([4, 10], 1)]);
await g('logSoftmax', (a) => tf.logSoftmax(a), () => [r([4, 10], 1)]);
await g('pad', (a) => tf.pad(a, [[0, 0], [1, 2], [3, 0], [0, 0]]), () => [r(S, 1)]);
await g('slice', (a) => tf.slice(a, [0, 1, 2, 0], [2, 3, 3, 2]), () => [r(S, 1)]);
await g('concat', (a, b) => tf.concat([a, b], 3), () => [r(S, 1), r(S, 2)]);
await g('reshape', (a) => tf.reshape(a, [10, 18]), () => [r(S, 1)]);
await g('transpose', (a) => tf.transpose(a, [0, 3, 1, 2]), () => [r(S, 1)]);
await g('resizeBilinear sq', (a) => tf.image.resizeBilinear(a as tf.Tensor4D, [11, 11]), () => [r([2, 5, 5, 3], 1)]);
await g('resizeBilinear ac', (a) => tf.image.resizeBilinear(a as tf.Tensor4D, [9, 9], true), () => [r([2, 5, 5, 3], 1)]);
await g('resizeBilinear down', (a) => tf.image.resizeBilinear(a as tf.Tensor4D, [4, 4]), () => [r([2, 9, 9, 3], 1)]);
await g('resizeBilinear nonsq', (a) => tf.image.resizeBilinear(a as tf.Tensor4D, [11, 9]), () => [r([2, 5, 7, 3], 1)]);
await g('maxPool relu0', (a) => tf.maxPool(tf.relu(a) as tf.Tensor4D, 2, 2, 'valid'), () => [r([2, 8, 8, 3], 1)]);
await g('maxPool neg', (a) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'), () => [tf.neg(pos([2, 8, 8, 3], 1))]);
await g('fused conv relu', (a, w, b) => tf.fused.conv2d({ x: a as tf.Tensor4D, filter: w as tf.Tensor4D, bias: b, strides: 2, pad: 'same', activation: 'relu' }), () => [r([2, 8, 8, 3], 1), r([3, 3, 3, 4], 2), r([4], 3)]);
await g('fused matMul', (a, w, b) => tf.fused.matMul({ a: a as tf.Tensor2D, b: w as tf.Tensor2D, bias: b, activation: 'relu' }), () => [r([7, 5], 1), r([5, 9], 2), r([9], 3)]);
await g('batchNorm-ish', (a) => tf.div(tf.sub(a, tf.mean(a, 0)), tf.sqrt(tf.add(tf.moments(a, 0).variance, 1e-3))), () => [r([8, 5], 1)]);
await g('leakyRelu', (a) => tf.leakyRelu(a, 0.2), () => [r(S, 1)]);
await g('elu', (a) => tf.elu(a), () => [r(S, 1)]);
await g('squaredDifference', (a, b) => tf.squaredDifference(a, b), () => [r(S, 1), r(S, 2)]);
await g('maximum', (a, b) => tf.maximum(a, b), () => [r(S, 1), r(S, 2)]);
await g('clipByValue', (a) => tf.clipByValue(a, -0.5, 0.5), () => [r(S, 1)]);
await g('conv2dT s2 same', (a, w) => tf.conv2dTranspose(a as tf.Tensor4D, w as tf.Tensor4D, [2, 8, 8, 3], 2, 'same'), () => [r([2, 4, 4, 5], 1), r([3, 3, 3, 5], 2)]);
