/**
 * A linear softmax (multinomial logistic regression) classifier on frozen
 * features, trained with Adam and weight decay: the readout of a linear
 * probe (Zhang, Isola and Efros 2016, section 3.2; Alain and Bengio 2016).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import { ShapeError, ValidationError, permutation } from '@hourglass/common';

import { multiplyMatrices, transposeMatrix } from './mat-mul.ts';
import { disposeStandardizer, fitStandardizer } from './standardizer.ts';
import type { Standardizer } from './standardizer.ts';

/** Training settings; every field has a default. */
export interface SoftmaxClassifierOptions {
  /** Number of classes; by default the largest label + 1. */
  classes?: number;
  /** Passes over the training split; 20 by default. */
  epochs?: number;
  /** Images per Adam step; 256 by default. */
  batchSize?: number;
  /** Adam's initial step size, decayed to 0 by a cosine; 1e-3. */
  learningRate?: number;
  /** L2 penalty (weight decay / 2) ||W||^2 added to the loss; 5e-4. */
  weightDecay?: number;
  /** Seed for the order of minibatches. */
  seed?: number;
}

/**
 * A trained classifier: logits = standardize(x) W + b. It carries the
 * standardizer fitted on its training split.
 */
export interface SoftmaxClassifier {
  /** W, [d, classes]. */
  weights: Tensor2D;
  /** b, [classes]. */
  bias: Tensor1D;
  standardizer: Standardizer;
  classes: number;
}

/** Adam's moment decay rates (Kingma and Ba 2015, their defaults). */
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

/** Rows scored per call when computing logits, to bound temporaries. */
const ROWS_PER_CHUNK = 4096;

/**
 * Trains W and b to minimise the mean cross-entropy of
 * softmax(standardize(x) W + b) against the labels plus
 * (weightDecay / 2) ||W||^2, by minibatch Adam with a cosine-decayed step
 * size. Features [n, d] are standardized with statistics of this
 * (training) split only. Gradients are written out by hand (X^T (P - Y)
 * / n + weightDecay W), so no autodiff kernels are needed.
 *
 * Minibatches are assembled from a JavaScript copy of the features
 * (O(n d) memory on top of the tensor): the wasm backend's gather
 * measured about 50 times slower than copying rows, and dominated the
 * training time. The standardization is folded into the weights for the
 * same reason, instead of being applied to every batch.
 */
export function trainSoftmaxClassifier(
  features: Tensor2D,
  labels: ArrayLike<number>,
  options: SoftmaxClassifierOptions = {},
): SoftmaxClassifier {
  const classes = checkTraining(features, labels, options.classes);
  const [n, d] = features.shape;
  const epochs = options.epochs ?? 20;
  const batchSize = Math.min(options.batchSize ?? 256, n);
  const learningRate = options.learningRate ?? 1e-3;
  const weightDecay = options.weightDecay ?? 5e-4;
  const totalSteps = Math.max(1, epochs * Math.ceil(n / batchSize));

  const standardizer = fitStandardizer(features);
  const rows = features.dataSync() as Float32Array;
  const batchRows = new Float32Array(batchSize * d);
  // Parameters and Adam moments, as one row per class: W^T [c, d], b.
  let state: AdamState = {
    weightsT: tf.zeros([classes, d]),
    bias: tf.zeros([classes]),
    m: tf.zeros([classes, d]),
    v: tf.zeros([classes, d]),
    mBias: tf.zeros([classes]),
    vBias: tf.zeros([classes]),
  };

  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch += 1) {
    const order = permutation(n, (options.seed ?? 0) + epoch);
    for (let start = 0; start < n; start += batchSize) {
      step += 1;
      const batch = order.subarray(start, Math.min(start + batchSize, n));
      batch.forEach((row, i) => {
        batchRows.set(rows.subarray(row * d, (row + 1) * d), i * d);
      });
      const rate =
        (learningRate * (1 + Math.cos((Math.PI * (step - 1)) / totalSteps))) /
        2;
      const next = tf.tidy(() => {
        const x = tf.tensor2d(batchRows.subarray(0, batch.length * d), [
          batch.length,
          d,
        ]);
        const y = tf.oneHot(
          tf.tensor1d(Int32Array.from(batch, (i) => labels[i]!), 'int32'),
          classes,
        );
        const { weightsT, bias } = foldStandardization(
          state.weightsT,
          state.bias,
          standardizer,
        );
        const logits = tf.add(multiplyMatrices(x, weightsT, false, true), bias);
        // d(loss)/d(logits) = (softmax - one-hot) / batch.
        const error = tf.div(tf.sub(tf.softmax(logits), y), batch.length);
        const errorT = transposeMatrix(error as Tensor2D);
        const errorSums = tf.sum(error, 0);
        // Back through the folded standardization: s * (E^T x - sums mu).
        const raw = tf.sub(
          multiplyMatrices(errorT, x),
          tf.outerProduct(errorSums as Tensor1D, standardizer.mean),
        );
        const gradientT = tf.add(
          tf.mul(raw, standardizer.scale),
          tf.mul(state.weightsT, weightDecay),
        );
        return adamStep(state, gradientT, errorSums, rate, step);
      });
      tf.dispose(Object.values(state));
      state = next;
    }
  }

  const weights = transposeMatrix(state.weightsT);
  tf.dispose([state.weightsT, state.m, state.v, state.mBias, state.vBias]);
  return { weights, bias: state.bias, standardizer, classes };
}

/**
 * Weights and bias that act on raw features as the given ones act on
 * standardized features: W' = W * scale, b' = b - W' mean.
 */
function foldStandardization(
  weightsT: Tensor2D,
  bias: Tensor1D,
  standardizer: Standardizer,
): { weightsT: Tensor2D; bias: Tensor1D } {
  const folded = tf.mul(weightsT, standardizer.scale) as Tensor2D;
  const shift = tf.sum(tf.mul(folded, standardizer.mean), 1);
  return { weightsT: folded, bias: tf.sub(bias, shift) as Tensor1D };
}

/** Logits [n, classes] of features [n, d], in row chunks. */
export function computeLogits(
  classifier: SoftmaxClassifier,
  features: Tensor2D,
): Tensor2D {
  const d = classifier.weights.shape[0];
  if (features.rank !== 2 || features.shape[1] !== d) {
    throw new ShapeError('computeLogits', `[n, ${d}]`, features.shape);
  }
  const n = features.shape[0];
  const folded = tf.tidy(() =>
    foldStandardization(
      transposeMatrix(classifier.weights),
      classifier.bias,
      classifier.standardizer,
    ),
  );
  const chunks: Tensor2D[] = [];
  for (let start = 0; start < n; start += ROWS_PER_CHUNK) {
    const rows = Math.min(ROWS_PER_CHUNK, n - start);
    chunks.push(
      tf.tidy(() => {
        const x = features.slice([start, 0], [rows, d]);
        return tf.add(
          multiplyMatrices(x, folded.weightsT, false, true),
          folded.bias,
        );
      }),
    );
  }
  tf.dispose([folded.weightsT, folded.bias]);
  const logits = chunks.length === 1 ? chunks[0]! : tf.concat(chunks, 0);
  if (chunks.length > 1) tf.dispose(chunks);
  return logits;
}

/** The predicted class of each row of features [n, d]. */
export function predictClasses(
  classifier: SoftmaxClassifier,
  features: Tensor2D,
): Int32Array {
  return tf.tidy(() =>
    tf.argMax(computeLogits(classifier, features), 1).dataSync() as Int32Array,
  );
}

/** Frees the classifier's tensors. */
export function disposeClassifier(classifier: SoftmaxClassifier): void {
  tf.dispose([classifier.weights, classifier.bias]);
  disposeStandardizer(classifier.standardizer);
}

/** A type alias, not an interface, so that tf.tidy accepts it. */
type AdamState = {
  weightsT: Tensor2D;
  bias: Tensor1D;
  m: Tensor2D;
  v: Tensor2D;
  mBias: Tensor1D;
  vBias: Tensor1D;
};

/** One bias-corrected Adam update of W^T and b. */
function adamStep(
  state: AdamState,
  gradientT: tf.Tensor,
  gradientBias: tf.Tensor,
  rate: number,
  step: number,
): AdamState {
  const correction1 = 1 - BETA1 ** step;
  const correction2 = 1 - BETA2 ** step;
  const update = (
    parameter: tf.Tensor,
    m: tf.Tensor,
    v: tf.Tensor,
    gradient: tf.Tensor,
  ): [tf.Tensor, tf.Tensor, tf.Tensor] => {
    const nextM = tf.add(tf.mul(m, BETA1), tf.mul(gradient, 1 - BETA1));
    const nextV = tf.add(
      tf.mul(v, BETA2),
      tf.mul(tf.square(gradient), 1 - BETA2),
    );
    const denominator = tf.add(tf.sqrt(tf.div(nextV, correction2)), EPSILON);
    const move = tf.div(tf.div(nextM, correction1), denominator);
    return [tf.sub(parameter, tf.mul(move, rate)), nextM, nextV];
  };
  const [weightsT, m, v] = update(state.weightsT, state.m, state.v, gradientT);
  const [bias, mBias, vBias] = update(
    state.bias,
    state.mBias,
    state.vBias,
    gradientBias,
  );
  return {
    weightsT: weightsT as Tensor2D,
    m: m as Tensor2D,
    v: v as Tensor2D,
    bias: bias as Tensor1D,
    mBias: mBias as Tensor1D,
    vBias: vBias as Tensor1D,
  };
}

/** Validates a training split; returns the number of classes. */
function checkTraining(
  features: Tensor2D,
  labels: ArrayLike<number>,
  classes: number | undefined,
): number {
  if (features.rank !== 2 || features.shape[0] < 1) {
    throw new ShapeError('trainSoftmaxClassifier', '[n >= 1, d]', features.shape);
  }
  if (labels.length !== features.shape[0]) {
    throw new ValidationError('linear classifier', [
      {
        path: 'labels',
        message: `expected ${features.shape[0]} labels, got ${labels.length}`,
      },
    ]);
  }
  let largest = -1;
  for (let i = 0; i < labels.length; i += 1) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0) {
      throw new ValidationError('linear classifier', [
        { path: `labels.${i}`, message: `expected a class index, got ${label}` },
      ]);
    }
    largest = Math.max(largest, label);
  }
  const count = classes ?? largest + 1;
  if (largest >= count || count < 2) {
    throw new ValidationError('linear classifier', [
      {
        path: 'classes',
        message: `expected at least 2 classes above every label, got ${count}`,
      },
    ]);
  }
  return count;
}
