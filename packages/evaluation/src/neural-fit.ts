/**
 * Neural fitting: how well a layer's features predict each recorded
 * site's mean response on held-out images, relative to how reproducible
 * that response is (the "neural predictivity" of Yamins et al. 2014).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { ShapeError, ValidationError } from '@hourglass/common';

import { assignFolds, assignStratifiedFolds, splitFold } from './folds.ts';
import { gatherBlock, gatherRows, readHostMatrix } from './gather-rows.ts';
import { computeGramValues } from './gram-matrix.ts';
import { predictKernelRidgeCv } from './kernel-ridge-cv.ts';
import type { RidgeSelectionOptions } from './kernel-ridge-cv.ts';
import {
  DEFAULT_PLS_COMPONENTS,
  disposePls,
  fitPls,
  predictPls,
} from './pls-regression.ts';
import {
  disposeStandardizer,
  fitStandardizer,
  standardize,
} from './standardizer.ts';
import { scoreHeldOutPredictions } from './held-out-scores.ts';

/** Sites below this split-half reliability are left out of the median. */
export const DEFAULT_RELIABILITY_THRESHOLD = 0.7;

/** The regression from features to sites. */
export type NeuralFitMethod = 'ridge' | 'pls';

/** Options of `fitNeuralSites`; every field has a default. */
export interface NeuralFitOptions {
  method?: NeuralFitMethod;
  /** Outer cross-validation folds; 5 by default. */
  folds?: number;
  seed?: number;
  /**
   * A label per image (its object, say): folds are stratified by it so
   * every label has images in every training and test split.
   */
  strata?: readonly (string | number)[];
  /** Ridge: candidate penalties and inner folds. */
  ridge?: RidgeSelectionOptions;
  /** PLS: components; 25 by default. */
  plsComponents?: number;
  /** Sites below this reliability are left out of the median; 0.7. */
  reliabilityThreshold?: number;
}

/** What is fitted: features and responses of the same images. */
export interface NeuralFitInput {
  /** A layer's features, [images, d]. */
  features: Tensor2D;
  /** Each site's mean response over repetitions, [images, sites]. */
  responses: Tensor2D;
  /**
   * Each site's Spearman-Brown corrected split-half reliability, from
   * `computeSiteReliability`.
   */
  reliability: ArrayLike<number>;
}

/** Per-site and summary results of a neural fit. */
export interface NeuralFitResult {
  method: NeuralFitMethod;
  /**
   * Explained variance of each site on held-out images: the squared
   * Pearson r between the cross-validated predictions (every image
   * predicted once, by the fold that held it out) and the mean response.
   */
  explainedVariance: Float32Array;
  /** 1 - SSE / SST of the same predictions (can be negative). */
  coefficientOfDetermination: Float32Array;
  /** The reliability given for each site. */
  reliability: Float32Array;
  /** explainedVariance / reliability: 1 means as good as the data allow. */
  normalizedExplainedVariance: Float32Array;
  /** Median normalized explained variance over the reliable sites. */
  medianNormalizedExplainedVariance: number;
  /** Median raw explained variance over the same sites. */
  medianExplainedVariance: number;
  /** How many sites passed the reliability threshold. */
  reliableSites: number;
  /** Ridge only: the relative penalty each outer fold chose. */
  alphas?: number[];
}

/**
 * Cross-validated ridge or PLS regression from a layer's features to
 * every site, scored per site on held-out images and divided by the
 * site's reliability; the summary is the median over sites whose
 * reliability reaches the threshold.
 *
 * Ridge works in kernel form on one Gram matrix of all images, features
 * scaled by their standard deviation over all stimuli (computed from
 * features only, never from responses) and centred on each training fold
 * exactly, in the kernel. Scaling per fold would need a new Gram matrix
 * per fold, five times the work, for statistics that differ only by
 * sampling noise. PLS standardizes on each training fold.
 */
export function fitNeuralSites(
  input: NeuralFitInput,
  options: NeuralFitOptions = {},
): NeuralFitResult {
  const { features, responses } = input;
  checkInput(input);
  const method = options.method ?? 'ridge';
  const folds = options.folds ?? 5;
  const seed = options.seed ?? 0;
  const threshold = options.reliabilityThreshold ??
    DEFAULT_RELIABILITY_THRESHOLD;
  const [images, sites] = responses.shape;

  const assignment = options.strata === undefined
    ? assignFolds(images, folds, seed)
    : assignStratifiedFolds(options.strata, folds, seed);
  const predictions = new Float32Array(images * sites);
  const alphas = method === 'ridge'
    ? predictByRidge(features, responses, assignment, folds, predictions, {
      seed,
      ...options.ridge,
    })
    : predictByPls(
      features,
      responses,
      assignment,
      folds,
      predictions,
      options.plsComponents ?? DEFAULT_PLS_COMPONENTS,
    );

  const scores = scoreHeldOutPredictions(responses, predictions);
  const reliability = Float32Array.from(input.reliability);
  const normalized = scores.squaredCorrelation.map(
    (value, site) => value / reliability[site]!,
  );
  const reliable = Array.from({ length: sites }, (_, site) => site).filter(
    (site) =>
      reliability[site]! >= threshold && Number.isFinite(normalized[site]),
  );
  return {
    method,
    explainedVariance: scores.squaredCorrelation,
    coefficientOfDetermination: scores.coefficientOfDetermination,
    reliability,
    normalizedExplainedVariance: normalized,
    medianNormalizedExplainedVariance: median(
      reliable.map((site) => normalized[site]!),
    ),
    medianExplainedVariance: median(
      reliable.map((site) => scores.squaredCorrelation[site]!),
    ),
    reliableSites: reliable.length,
    ...(alphas === undefined ? {} : { alphas }),
  };
}

function predictByRidge(
  features: Tensor2D,
  responses: Tensor2D,
  assignment: Int32Array,
  folds: number,
  predictions: Float32Array,
  options: RidgeSelectionOptions,
): number[] {
  const standardizer = fitStandardizer(features);
  const standardized = standardize(features, standardizer);
  disposeStandardizer(standardizer);
  const gram = computeGramValues(standardized);
  standardized.dispose();
  const targets = readHostMatrix(responses);

  const alphas: number[] = [];
  for (let fold = 0; fold < folds; fold += 1) {
    const split = splitFold(assignment, fold);
    // Centring on the training fold happens inside, in the kernel.
    const blocks = {
      train: gatherBlock(gram, split.train, split.train),
      testTrain: gatherBlock(gram, split.test, split.train),
      responses: gatherRows(targets, split.train),
    };
    const result = predictKernelRidgeCv(blocks, {
      ...options,
      seed: (options.seed ?? 0) + fold,
    });
    tf.dispose(Object.values(blocks));
    writeRows(predictions, split.test, result.predictions);
    alphas.push(result.alpha);
  }
  return alphas;
}

function predictByPls(
  features: Tensor2D,
  responses: Tensor2D,
  assignment: Int32Array,
  folds: number,
  predictions: Float32Array,
  components: number,
): undefined {
  const rows = readHostMatrix(features);
  const targets = readHostMatrix(responses);
  for (let fold = 0; fold < folds; fold += 1) {
    const split = splitFold(assignment, fold);
    const train = gatherRows(rows, split.train);
    const test = gatherRows(rows, split.test);
    const standardizer = fitStandardizer(train);
    const predicted = tf.tidy(() => {
      const model = fitPls(
        standardize(train, standardizer),
        gatherRows(targets, split.train),
        components,
      );
      const result = predictPls(model, standardize(test, standardizer));
      disposePls(model);
      return result;
    });
    tf.dispose([train, test]);
    disposeStandardizer(standardizer);
    writeRows(predictions, split.test, predicted);
  }
  return undefined;
}

/** Copies each row of `rows` to row rowIndex[i] of a row-major matrix. */
function writeRows(
  target: Float32Array,
  rowIndex: Int32Array,
  rows: Tensor2D,
): void {
  const width = rows.shape[1];
  const values = rows.dataSync();
  rowIndex.forEach((row, i) => {
    target.set(values.subarray(i * width, (i + 1) * width), row * width);
  });
  rows.dispose();
}

/** The median of a list; NaN when it is empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? sorted[middle]!
    : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function checkInput(input: NeuralFitInput): void {
  const { features, responses, reliability } = input;
  if (features.rank !== 2) {
    throw new ShapeError(
      'fitNeuralSites',
      'features [images, d]',
      features.shape,
    );
  }
  const images = features.shape[0];
  if (responses.rank !== 2 || responses.shape[0] !== images) {
    throw new ShapeError(
      'fitNeuralSites',
      `responses [${images}, sites]`,
      responses.shape,
    );
  }
  if (reliability.length !== responses.shape[1]) {
    throw new ValidationError('neural fit', [
      {
        path: 'reliability',
        message: `expected ${responses.shape[1]} values (one per site), ` +
          `got ${reliability.length}`,
      },
    ]);
  }
}
