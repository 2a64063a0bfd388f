/**
 * The linear probe of one encoding layer: a softmax classifier trained on
 * the training split's frozen features, scored on a held-out split.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';

import {
  computeLogits,
  disposeClassifier,
  trainSoftmaxClassifier,
} from './softmax-classifier.ts';
import type { SoftmaxClassifierOptions } from './softmax-classifier.ts';
import { computeTopKAccuracy } from './top-k-accuracy.ts';

/** Features [n, d] and class labels of one split. */
export interface LabelledFeatures {
  features: Tensor2D;
  labels: ArrayLike<number>;
}

/** The scores of a linear probe. */
export interface LinearProbeResult {
  /** Top-1 accuracy on the held-out split. */
  top1: number;
  /** Top-5 accuracy on the held-out split, when there are over 10 classes. */
  top5?: number;
  /** Top-1 accuracy on the training split: the gap shows overfitting. */
  trainTop1: number;
  classes: number;
}

/**
 * Trains a linear softmax classifier with weight decay on the training
 * split (features standardized with that split's statistics) and reports
 * top-1, and top-5 when there are more than 10 classes, on the held-out
 * split: the linear classification protocol of Zhang, Isola and Efros
 * 2016, section 3.2.
 */
export function runLinearProbe(
  train: LabelledFeatures,
  test: LabelledFeatures,
  options: SoftmaxClassifierOptions = {},
): LinearProbeResult {
  const classifier = trainSoftmaxClassifier(
    train.features,
    train.labels,
    options,
  );
  try {
    const classes = classifier.classes;
    const testLogits = computeLogits(classifier, test.features);
    const trainLogits = computeLogits(classifier, train.features);
    const top1 = computeTopKAccuracy(testLogits, test.labels, 1);
    const top5 = classes > 10
      ? computeTopKAccuracy(testLogits, test.labels, 5)
      : undefined;
    const trainTop1 = computeTopKAccuracy(trainLogits, train.labels, 1);
    tf.dispose([testLogits, trainLogits]);
    return { top1, ...(top5 === undefined ? {} : { top5 }), trainTop1, classes };
  } finally {
    disposeClassifier(classifier);
  }
}
