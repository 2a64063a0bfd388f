/**
 * Kernel-form ridge regression with the penalty chosen by inner
 * cross-validation, for one outer fold. Works on Gram matrices, so that
 * a caller with many folds over one feature set multiplies the features
 * only once.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { ShapeError, permutation } from '@hourglass/common';

import { meanColumns, sumColumns } from './column-sums.ts';
import { assignFolds, splitFold } from './folds.ts';
import { gatherBlock, gatherRows, readHostMatrix } from './gather-rows.ts';
import { centerGram } from './gram-matrix.ts';
import { multiplyMatrices } from './mat-mul.ts';
import { solveShiftedSystem } from './ridge-regression.ts';

/**
 * Candidate penalties, relative to the mean eigenvalue of the training
 * Gram matrix (its trace over n): relative 1 shrinks a direction whose
 * variance is the average one by half. Factor-10 steps.
 */
export const DEFAULT_RIDGE_ALPHAS: readonly number[] = [
  0.01, 0.1, 1, 10, 100,
];

/** Training images that take part in choosing the penalty, at most. */
export const DEFAULT_INNER_SAMPLES = 1500;

/** How the penalty is chosen. */
export interface RidgeSelectionOptions {
  /** Relative penalties to try (see DEFAULT_RIDGE_ALPHAS). */
  alphas?: readonly number[];
  /** Inner folds over the outer training split; 3 by default. */
  innerFolds?: number;
  /**
   * At most this many training images (a seeded random subset) take part
   * in choosing the penalty; 1,500 by default. See predictKernelRidgeCv.
   */
  innerSamples?: number;
  /** Seed for the inner split. */
  seed?: number;
}

/** One outer fold as Gram blocks: uncentered linear kernels. */
export interface GramFold {
  /** K among training images, [n, n]. */
  train: Tensor2D;
  /** K from test images to training images, [t, n]. */
  testTrain: Tensor2D;
  /** Training responses, [n, m]. */
  responses: Tensor2D;
}

/** Held-out predictions and how the penalty was chosen. */
export interface RidgeCvPrediction {
  /** Predicted test responses, [t, m]. */
  predictions: Tensor2D;
  /** The relative penalty chosen. */
  alpha: number;
  /** The absolute penalty lambda it stood for. */
  penalty: number;
  /**
   * Inner-validation error per alpha: the mean over responses of
   * SSE / SST on the inner held-out images.
   */
  validationErrors: number[];
}

/**
 * Predicts test responses by kernel ridge regression with an intercept
 * (Saunders, Gammerman and Vovk 1998: A = (K + lambda I)^-1 Y, predictions
 * K_test A), choosing lambda from `alphas` by k-fold cross-validation on
 * the training images alone. One lambda serves every response: it is the
 * one with the lowest mean normalized inner-validation error.
 *
 * The inner cross-validation runs on at most `innerSamples` training
 * images. Each candidate costs a Cholesky factorization, cubic in the
 * images, and tfjs has no eigensolver that would give every penalty from
 * one factorization; on 1,500 of 4,608 images the search costs a
 * thirtieth. The best penalty hardly depends on the number of images: in
 * the Bayesian reading of ridge it is the ratio of noise to prior weight
 * variance, and the candidates are scaled by the mean eigenvalue of the
 * centred Gram matrix (the mean squared norm of a centred image), which
 * does not grow with n either. The final fit uses every training image.
 */
export function predictKernelRidgeCv(
  fold: GramFold,
  options: RidgeSelectionOptions = {},
): RidgeCvPrediction {
  checkGramFold(fold);
  const alphas = options.alphas ?? DEFAULT_RIDGE_ALPHAS;
  const innerFolds = options.innerFolds ?? 3;
  const n = fold.train.shape[0];
  const meanEigenvalue = computeMeanEigenvalue(fold.train);

  const validationErrors = alphas.map(() => 0);
  const seed = options.seed ?? 0;
  const chosen = chooseInnerImages(n, options.innerSamples ?? DEFAULT_INNER_SAMPLES, seed);
  const assignment = assignFolds(chosen.length, innerFolds, seed);
  const gram = readHostMatrix(fold.train);
  const responses = readHostMatrix(fold.responses);
  for (let inner = 0; inner < innerFolds; inner += 1) {
    const positions = splitFold(assignment, inner);
    const split = {
      train: positions.train.map((i) => chosen[i]!),
      test: positions.test.map((i) => chosen[i]!),
    };
    const blocks = {
      train: gatherBlock(gram, split.train, split.train),
      cross: gatherBlock(gram, split.test, split.train),
      responses: gatherRows(responses, split.train),
      held: gatherRows(responses, split.test),
    };
    const errors = validateInnerFold(blocks, alphas, meanEigenvalue);
    tf.dispose(Object.values(blocks));
    errors.forEach((error, i) => {
      validationErrors[i]! += error / innerFolds;
    });
  }

  const best = argMin(validationErrors);
  const alpha = alphas[best]!;
  const penalty = alpha * meanEigenvalue;
  const predictions = predictWithPenalty(
    fold.train,
    fold.testTrain,
    fold.responses,
    penalty,
  );
  return { predictions, alpha, penalty, validationErrors };
}

/** Kernel ridge with intercept at one penalty: predictions for `cross`. */
export function predictWithPenalty(
  train: Tensor2D,
  cross: Tensor2D,
  responses: Tensor2D,
  penalty: number,
): Tensor2D {
  return tf.tidy(() =>
    predictCentered(centerProblem(train, cross, responses), penalty),
  );
}

/**
 * A kernel ridge problem centred on its training items (a type, not an
 * interface, so that tf.tidy can return it inside another object).
 */
type CenteredProblem = {
  /** The training Gram block, centred, [n, n]. */
  train: Tensor2D;
  /** The cross block, centred with training statistics, [t, n]. */
  cross: Tensor2D;
  /** Training responses minus their mean, [n, m]. */
  responses: Tensor2D;
  /** The training response mean, [1, m]. */
  mean: Tensor2D;
};

/** Centres the blocks once, for any number of penalties. */
function centerProblem(
  train: Tensor2D,
  cross: Tensor2D,
  responses: Tensor2D,
): CenteredProblem {
  return tf.tidy(() => {
    const mean = meanColumns(responses);
    return {
      train: centerGram(train, train),
      cross: centerGram(train, cross),
      responses: tf.sub(responses, mean) as Tensor2D,
      mean,
    };
  });
}

/** Predictions at one penalty: K~_cross (K~ + lambda I)^-1 Y~ + mean. */
function predictCentered(problem: CenteredProblem, penalty: number): Tensor2D {
  return tf.tidy(() => {
    const dual = solveShiftedSystem(problem.train, problem.responses, penalty);
    return tf.add(multiplyMatrices(problem.cross, dual), problem.mean);
  });
}

/** The Gram and response blocks of one inner split. */
interface InnerBlocks {
  train: Tensor2D;
  cross: Tensor2D;
  responses: Tensor2D;
  held: Tensor2D;
}

/** Mean normalized validation error of each alpha on one inner split. */
function validateInnerFold(
  blocks: InnerBlocks,
  alphas: readonly number[],
  meanEigenvalue: number,
): number[] {
  // The centring is shared by every penalty.
  const { total, problem } = tf.tidy(() => {
    const deviation = tf.sub(blocks.held, meanColumns(blocks.held));
    return {
      total: sumColumns(tf.square(deviation) as Tensor2D),
      problem: centerProblem(blocks.train, blocks.cross, blocks.responses),
    };
  });
  try {
    return alphas.map((alpha) =>
      tf.tidy(() => {
        const predicted = predictCentered(problem, alpha * meanEigenvalue);
        const residual = tf.square(tf.sub(blocks.held, predicted)) as Tensor2D;
        // Responses with no variance on this split carry no information.
        const normalized = tf.div(
          sumColumns(residual),
          tf.maximum(total, 1e-12),
        );
        return tf.mean(normalized).dataSync()[0]!;
      }),
    );
  } finally {
    tf.dispose([total, ...Object.values(problem)]);
  }
}

/** A seeded random subset of n images, all of them when n <= limit. */
function chooseInnerImages(n: number, limit: number, seed: number): Int32Array {
  const order = Int32Array.from(permutation(n, seed + 104729));
  return n <= limit ? order : order.slice(0, Math.max(limit, 8));
}

/** trace(centered K) / n: the mean eigenvalue of the centered Gram. */
function computeMeanEigenvalue(train: Tensor2D): number {
  const n = train.shape[0];
  const diagonal = Int32Array.from({ length: n }, (_, i) => i * (n + 1));
  const trace = tf.tidy(() =>
    tf.sum(tf.gather(tf.reshape(train, [-1]), diagonal)).dataSync()[0]!,
  );
  const sum = tf.tidy(() => tf.sum(train).dataSync()[0]!);
  const mean = (trace - sum / n) / n;
  // A degenerate (constant) feature set still gets a positive penalty.
  return mean > 0 ? mean : 1;
}

function argMin(values: readonly number[]): number {
  let best = 0;
  values.forEach((value, i) => {
    if (value < values[best]!) best = i;
  });
  return best;
}

function checkGramFold(fold: GramFold): void {
  const n = fold.train.shape[0];
  if (fold.train.rank !== 2 || fold.train.shape[1] !== n || n < 4) {
    throw new ShapeError('predictKernelRidgeCv', '[n >= 4, n]', fold.train.shape);
  }
  if (fold.testTrain.rank !== 2 || fold.testTrain.shape[1] !== n) {
    throw new ShapeError(
      'predictKernelRidgeCv',
      `test-train Gram [t, ${n}]`,
      fold.testTrain.shape,
    );
  }
  if (fold.responses.rank !== 2 || fold.responses.shape[0] !== n) {
    throw new ShapeError(
      'predictKernelRidgeCv',
      `responses [${n}, m]`,
      fold.responses.shape,
    );
  }
}
