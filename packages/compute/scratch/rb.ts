import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm'); await tf.ready();
for (const b of ['cpu','wasm']) for (const ac of [false]) for (const hp of [false, true]) for (const [h, w, oh, ow] of [[5, 5, 11, 11], [9, 9, 4, 4]]) {
  await tf.setBackend(b);
  const x = tf.randomNormal([2, h!, w!, 3], 0, 1, 'float32', 1);
  const rr = tf.randomNormal([2, oh!, ow!, 3], 0, 1, 'float32', 2);
  const lhs = tf.sum(tf.mul(tf.image.resizeBilinear(x as tf.Tensor4D, [oh!, ow!], ac, hp), rr)).dataSync()[0]!;
  const gx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeBilinear(a as tf.Tensor4D, [oh!, ow!], ac, hp), rr)))(x);
  const rhs = tf.sum(tf.mul(x, gx)).dataSync()[0]!;
  console.log(b, ac, hp, h, w, oh, ow, lhs, rhs);
}
