import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { patchWasmBackend } from '../src/index.ts';
console.log(patchWasmBackend(), patchWasmBackend());

await tf.setBackend('wasm'); await tf.ready();
await tf.setBackend('cpu'); await tf.ready();

function rnd(shape: number[], seed: number) { return tf.randomNormal(shape, 0, 1, 'float32', seed); }

async function both(name: string, f: () => tf.Tensor[]) {
  const res: Record<string, Float32Array[]> = {};
  for (const b of ['cpu', 'wasm']) {
    await tf.setBackend(b);
    try {
      const outs = tf.tidy(f);
      res[b] = outs.map((t) => t.dataSync() as Float32Array);
      outs.forEach((t) => t.dispose());
    } catch (e) { console.log(name, b, 'ERR', (e as Error).message.slice(0, 100)); return; }
  }
  const diffs = res.cpu!.map((a, i) => {
    const w = res.wasm![i]!; let m = 0; let s = 0;
    for (let j = 0; j < a.length; j++) { m = Math.max(m, Math.abs(a[j]! - w[j]!)); s = Math.max(s, Math.abs(a[j]!)); }
    return a.length !== w.length ? 'LEN' : (m / Math.max(s, 1e-12)).toExponential(1);
  });
  console.log(name.padEnd(50), diffs.join(' '));
}

const cases: [number, number, number, number, string | number][] = [
  // H, C_in, K, S, pad
  [32, 3, 7, 16, 'same'], [32, 3, 7, 16, 'valid'], [32, 3, 7, 8, 'same'], [32, 3, 3, 4, 'same'],
  [32, 3, 5, 4, 'same'], [32, 3, 3, 1, 'same'], [32, 3, 3, 2, 'same'], [64, 3, 7, 16, 'same'],
  [32, 3, 3, 2, 1], [33, 3, 4, 3, 'same'],
];
for (const [H, C, K, S, pad] of cases) {
  const x = () => rnd([2, H, H, C], 1); const w = () => rnd([K, K, C, 8], 2);
  await both(`conv2d fwd H${H} k${K} s${S} ${pad}`, () => [tf.conv2d(x() as tf.Tensor4D, w() as tf.Tensor4D, S, pad as 'same')]);
  await both(`conv2d fwd explicit-same H${H} k${K} s${S} ${pad}`, () => {
    const xi = x() as tf.Tensor4D;
    const info = tf.backend_util.computeConv2DInfo(xi.shape, [K, K, C, 8], S, 1, pad as 'same');
    const p = info.padInfo;
    return [tf.conv2d(xi, w() as tf.Tensor4D, S, [[0, 0], [p.top, p.bottom], [p.left, p.right], [0, 0]])];
  });
  await both(`conv2d dx H${H} k${K} s${S} ${pad}`, () => {
    const xi = x() as tf.Tensor4D; const wi = w() as tf.Tensor4D;
    const y = tf.conv2d(xi, wi, S, pad as 'same');
    return [tf.conv2dTranspose(rnd(y.shape, 3) as tf.Tensor4D, wi, xi.shape, S, pad as 'same')];
  });
  await both(`maxPool H${H} k${K} s${S} ${pad}`, () => [tf.maxPool(x() as tf.Tensor4D, K, S, pad as 'same')]);
  await both(`avgPool H${H} k${K} s${S} ${pad}`, () => [tf.avgPool(x() as tf.Tensor4D, K, S, pad as 'same')]);
  await both(`maxPool grad H${H} k${K} s${S} ${pad}`, () => [tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, K, S, pad as 'same'), rnd(tf.maxPool(a as tf.Tensor4D, K, S, pad as 'same').shape, 5))))(x())]);
  await both(`avgPool grad H${H} k${K} s${S} ${pad}`, () => [tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(a as tf.Tensor4D, K, S, pad as 'same'), rnd(tf.avgPool(a as tf.Tensor4D, K, S, pad as 'same').shape, 5))))(x())]);
  await both(`depthwise fwd H${H} k${K} s${S} ${pad}`, () => [tf.depthwiseConv2d(x() as tf.Tensor4D, rnd([K, K, C, 2], 4) as tf.Tensor4D, S, pad as 'same')]);
  await both(`fused fwd H${H} k${K} s${S} ${pad}`, () => [tf.fused.conv2d({ x: x() as tf.Tensor4D, filter: w() as tf.Tensor4D, strides: S, pad: pad as 'same', bias: rnd([8], 7), activation: 'relu' })]);
}
await both('resizeBilinear fwd+grad', () => {
  const xi = rnd([2, 5, 7, 3], 1);
  const f = (a: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeBilinear(a as tf.Tensor4D, [11, 9]), rnd([2, 11, 9, 3], 3)));
  return [tf.image.resizeBilinear(xi as tf.Tensor4D, [11, 9]), tf.grad(f)(xi)];
});
