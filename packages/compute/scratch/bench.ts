import * as tf from '@tensorflow/tfjs-core';
import { resolveBackend } from '../src/index.ts';
console.log(await resolveBackend('wasm'));
function time(name: string, f: () => tf.Tensor, reps = 5) {
  tf.tidy(() => { f().dataSync(); });
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) tf.tidy(() => { f().dataSync(); });
  console.log(name.padEnd(40), ((performance.now() - t0) / reps).toFixed(1), 'ms');
}
for (const [H, ci, co, k, s] of [[32, 3, 64, 3, 1], [32, 64, 64, 3, 1], [32, 64, 128, 3, 2], [32, 3, 64, 7, 16], [16, 64, 64, 5, 4], [32, 32, 32, 4, 2]]) {
  const x = tf.randomNormal([64, H!, H!, ci!]) as tf.Tensor4D;
  const w = tf.randomNormal([k!, k!, ci!, co!]) as tf.Tensor4D;
  const y = tf.conv2d(x, w, s!, 'same');
  const dy = tf.randomNormal(y.shape) as tf.Tensor4D;
  const tag = `H${H} ${ci}->${co} k${k} s${s}`;
  time(`fwd ${tag}`, () => tf.conv2d(x, w, s!, 'same'));
  time(`dx  ${tag}`, () => tf.conv2dTranspose(dy, w, x.shape, s!, 'same'));
  time(`dw  ${tag}`, () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: s!, pad: 'same', dataFormat: 'NHWC', filterShape: w.shape }) as tf.Tensor);
}
const x = tf.randomNormal([64, 32, 32, 64]) as tf.Tensor4D;
time('maxPool fwd 2x2', () => tf.maxPool(x, 2, 2, 'valid'));
time('maxPool grad 2x2', () => tf.grad((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'))(x));
time('resize grad 16->32', () => tf.grad((a: tf.Tensor) => tf.image.resizeBilinear(a as tf.Tensor4D, [32, 32]))(tf.slice(x, [0, 0, 0, 0], [64, 16, 16, 64])));
