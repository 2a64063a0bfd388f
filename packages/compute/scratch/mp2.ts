import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm'); await tf.ready();
function naive(x: Float32Array, shape: number[], dy: Float32Array, k: number, s: number, pad: 'same' | 'valid' | number) {
  const [N, H, W, C] = shape as [number, number, number, number];
  const info = tf.backend_util.computePool2DInfo([N, H, W, C], k, s, 1, pad);
  const { outHeight: OH, outWidth: OW } = info; const pt = info.padInfo.top; const pl = info.padInfo.left;
  const dx = new Float32Array(x.length);
  for (let n = 0; n < N; n++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) for (let c = 0; c < C; c++) {
    let best = -Infinity; let bi = -1;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
      const h = oh * s + i - pt; const w = ow * s + j - pl;
      if (h < 0 || w < 0 || h >= H || w >= W) continue;
      const idx = ((n * H + h) * W + w) * C + c;
      if (x[idx]! > best) { best = x[idx]!; bi = idx; }
    }
    dx[bi] += dy[((n * OH + oh) * OW + ow) * C + c]!;
  }
  return dx;
}
const [k, s, pad] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4] as 'same'];
const x = tf.randomNormal(JSON.parse(process.argv[5] ?? '[1,4,4,1]'), 0, 1, 'float32', 1);
const y = tf.maxPool(x as tf.Tensor4D, k, s, pad);
const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 2);
const ref = naive(x.dataSync() as Float32Array, x.shape, dy.dataSync() as Float32Array, k, s, pad);
for (let r = 0; r < 3; r++) {
  const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, k, s, pad), dy)))(x).dataSync();
  const direct = tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y }, { filterSize: k, strides: s, pad }) as tf.Tensor;
  const d = direct.dataSync(); const bad: string[] = [];
  for (let i = 0; i < d.length; i++) if (Math.abs(d[i]! - ref[i]!) > 1e-5 || Math.abs(g[i]! - ref[i]!) > 1e-5) bad.push(`${i}:${g[i]!.toFixed(2)}/${d[i]!.toFixed(2)}/${ref[i]!.toFixed(2)}`);
  console.log(bad.length, bad.slice(0, 8).join(' '));
}
