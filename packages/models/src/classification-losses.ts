/**
 * The supervised baseline's objective and its held-out score: softmax
 * cross-entropy on integer labels, and top-1 accuracy.
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Mean over the batch of -log softmax(logits)[label]: logits [n, classes],
 * labels [n] int32 in 0..classes - 1.
 */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const [, classCount = 0] = logits.shape;
    const targets = tf.oneHot(tf.cast(labels, 'int32'), classCount);
    const logProbabilities = tf.logSoftmax(logits);
    const perImage = tf.sum(tf.mul(targets, logProbabilities), 1);
    return tf.neg(tf.mean(perImage)) as tf.Scalar;
  });
}

/**
 * The fraction of the batch whose highest logit is at its label, in
 * [0, 1]: logits [n, classes], labels [n].
 */
export function topOneAccuracy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const predicted = tf.argMax(logits, 1);
    const isCorrect = tf.equal(predicted, tf.cast(labels, 'int32'));
    return tf.mean(tf.cast(isCorrect, 'float32'));
  });
}
