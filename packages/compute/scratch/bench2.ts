import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '../src/register-gradients.ts';
await tf.setBackend('wasm'); await tf.ready();
function time(name: string, f: () => tf.Tensor, reps = 20) {
  tf.tidy(() => { f().dataSync(); });
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) tf.tidy(() => { f().dataSync(); });
  console.log(name.padEnd(40), ((performance.now() - t0) / reps).toFixed(1), 'ms');
}
const x = tf.randomNormal([64, 32, 32, 64]) as tf.Tensor4D;
const y = tf.maxPool(x, 2, 2, 'valid');
const dy = tf.randomNormal(y.shape);
const small = tf.slice(x, [0, 0, 0, 0], [64, 16, 16, 64]);
const dyr = tf.randomNormal([64, 32, 32, 64]);
const run = () => {
  time('MaxPoolGrad kernel', () => tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y }, { filterSize: 2, strides: 2, pad: 'valid' }) as tf.Tensor);
  time('ResizeBilinearGrad kernel', () => tf.engine().runKernel('ResizeBilinearGrad', { images: small, dy: dyr }, { alignCorners: false, halfPixelCenters: false }) as tf.Tensor);
};
run();
const { patchWasmBackend } = await import('../src/index.ts');
patchWasmBackend();
run();
