/**
 * Top-k accuracy of class scores, the probe metric of the ImageNet
 * evaluations (top-1 and top-5).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { ShapeError } from '@hourglass/common';

/**
 * The fraction of rows of scores [n, classes] whose true label is among
 * their k highest scores.
 */
export function computeTopKAccuracy(
  scores: Tensor2D,
  labels: ArrayLike<number>,
  k: number,
): number {
  const [n, classes] = scores.shape;
  if (scores.rank !== 2 || labels.length !== n || k < 1 || k > classes) {
    throw new ShapeError(
      'computeTopKAccuracy',
      `scores [${labels.length}, classes >= ${k}]`,
      scores.shape,
    );
  }
  const top = tf.tidy(() => tf.topk(scores, k).indices.dataSync());
  let hits = 0;
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j < k; j += 1) {
      if (top[i * k + j] === labels[i]) {
        hits += 1;
        break;
      }
    }
  }
  return hits / n;
}
