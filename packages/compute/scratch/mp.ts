import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm'); await tf.ready();
await tf.setBackend('cpu'); await tf.ready();
// naive maxpool grad NHWC, pads top/left from tf's rule
function naive(x: Float32Array, shape: number[], dy: Float32Array, k: number, s: number, pad: 'same' | number) {
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
for (const [k, s, pad] of [[3, 1, 'same'], [3, 2, 'same'], [3, 2, 1], [2, 2, 'same'], [3, 2, 'valid']] as const) {
  const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 1);
  const y = tf.maxPool(x as tf.Tensor4D, k, s, pad as 'same');
  const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 2);
  const ref = naive(x.dataSync() as Float32Array, x.shape, dy.dataSync() as Float32Array, k, s, pad === 'valid' ? 0 : pad);
  for (const b of ['cpu', 'wasm']) {
    await tf.setBackend(b);
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, k, s, pad as 'same'), dy)))(x).dataSync();
    let m = 0; for (let i = 0; i < g.length; i++) m = Math.max(m, Math.abs(g[i]! - ref[i]!));
    console.log(k, s, pad, b, m);
  }
  await tf.setBackend('cpu');
}
for (const b of ['cpu', 'wasm']) {
  await tf.setBackend(b);
  for (const [h, w, oh, ow] of [[5, 7, 11, 9], [5, 5, 9, 9], [4, 6, 8, 12]]) {
    try {
      const xi = tf.randomNormal([2, h!, w!, 3], 0, 1, 'float32', 1);
      const g = tf.grad((a: tf.Tensor) => tf.sum(tf.image.resizeBilinear(a as tf.Tensor4D, [oh!, ow!])))(xi);
      console.log('resize', b, h, w, oh, ow, g.shape, g.sum().dataSync?.());
    } catch (e) { console.log('resize', b, h, w, oh, ow, (e as Error).message.slice(0, 90)); }
  }
}
