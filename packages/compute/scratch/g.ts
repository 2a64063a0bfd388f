import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
await tf.setBackend('cpu');
console.log(tf.grad((a: tf.Tensor) => tf.sum(tf.square(a)))(tf.tensor1d([1, 2])).dataSync());
