/**
 * Task generalization on a stimulus set with metadata (Hong, Yamins, Majaj
 * and DiCarlo 2016, "Explicit information for category-orthogonal object
 * properties increases along the ventral stream"): how well linear
 * readouts of a layer recover each image's category, its object within
 * the category, and continuous properties such as size and position.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { ShapeError, ValidationError } from '@hourglass/common';

import { assignStratifiedFolds, splitFold } from './folds.ts';
import type { FoldSplit } from './folds.ts';
import { pearsonCorrelation } from './correlation.ts';
import { gatherRows, readHostMatrix } from './gather-rows.ts';
import type { HostMatrix } from './gather-rows.ts';
import { computeGram } from './gram-matrix.ts';
import { indexGroups } from './group-average.ts';
import { predictKernelRidgeCv } from './kernel-ridge-cv.ts';
import type { RidgeSelectionOptions } from './kernel-ridge-cv.ts';
import { multiplyMatrices } from './mat-mul.ts';
import {
  disposeClassifier,
  predictClasses,
  trainSoftmaxClassifier,
} from './softmax-classifier.ts';
import type { SoftmaxClassifierOptions } from './softmax-classifier.ts';
import {
  disposeStandardizer,
  fitStandardizer,
  standardize,
} from './standardizer.ts';

/** Per-image labels of a stimulus set (HvM's `image_meta`). */
export interface StimulusMetadata {
  categories: readonly string[];
  objects: readonly string[];
  /** Variation level of each image ('V0', 'V3', 'V6'). */
  variations?: readonly string[];
  /** Continuous properties to regress, each one value per image. */
  properties?: Readonly<Record<string, ArrayLike<number>>>;
}

/** Options of `evaluateTaskGeneralization`; all have defaults. */
export interface TaskGeneralizationOptions {
  /** Cross-validation folds, stratified by object; 5 by default. */
  folds?: number;
  seed?: number;
  classifier?: SoftmaxClassifierOptions;
  ridge?: RidgeSelectionOptions;
}

/** Held-out accuracy of one classification task. */
export interface ClassificationScore {
  accuracy: number;
  /** 1 / classes. */
  chance: number;
  /** Accuracy over the images of each variation level. */
  byVariation: Record<string, number>;
}

/** Held-out fit of one continuous property. */
export interface PropertyScore {
  /** Pearson r between predicted and true values. */
  correlation: number;
  /** 1 - SSE / SST; can be negative. */
  coefficientOfDetermination: number;
  /** Pearson r over the images of each variation level. */
  byVariation: Record<string, number>;
}

/** Everything `evaluateTaskGeneralization` measures. */
export interface TaskGeneralizationResult {
  category: ClassificationScore;
  objectIdentity: {
    /** Mean of the per-category accuracies. */
    accuracy: number;
    byCategory: Record<string, ClassificationScore>;
    /** Accuracy over each level's images, all categories pooled. */
    byVariation: Record<string, number>;
  };
  properties: Record<string, PropertyScore>;
}

/**
 * Cross-validated linear readouts of features [images, d]: a softmax
 * classifier for category; one per category for object identity among
 * that category's objects; kernel ridge (penalty by inner CV) for the
 * continuous properties, all together. Folds are stratified by object,
 * so every object has images in every training and test split; features
 * are standardized with each training fold's statistics. Every image is
 * predicted once, by the fold that held it out; scores are computed over
 * all images and over each variation level.
 */
export function evaluateTaskGeneralization(
  features: Tensor2D,
  metadata: StimulusMetadata,
  options: TaskGeneralizationOptions = {},
): TaskGeneralizationResult {
  const folds = options.folds ?? 5;
  checkStimuli(features, metadata, folds);
  const n = features.shape[0];
  const categories = indexGroups(metadata.categories);
  const objectsWithin = indexObjectsWithinCategories(metadata);
  const propertyNames = Object.keys(metadata.properties ?? {});

  const assignment = assignStratifiedFolds(
    metadata.objects,
    folds,
    options.seed ?? 0,
  );
  const rows = readHostMatrix(features);
  const predictedCategory = new Int32Array(n);
  const predictedObject = new Int32Array(n);
  const predictedProperties = new Float32Array(n * propertyNames.length);
  for (let fold = 0; fold < folds; fold += 1) {
    const split = splitFold(assignment, fold);
    classify(rows, categories.rowOf, split, predictedCategory, options);
    for (let c = 0; c < categories.labels.length; c += 1) {
      const within = restrictSplit(split, categories.rowOf, c);
      classify(rows, objectsWithin, within, predictedObject, options);
    }
    if (propertyNames.length > 0) {
      regressProperties(rows, metadata, propertyNames, split, {
        predictions: predictedProperties,
        options: { seed: (options.seed ?? 0) + fold, ...options.ridge },
      });
    }
  }

  return {
    category: scoreClassification(
      predictedCategory,
      categories.rowOf,
      allImages(n),
      categories.labels.length,
      metadata.variations,
    ),
    objectIdentity: scoreObjectIdentity(
      predictedObject,
      objectsWithin,
      categories,
      metadata,
    ),
    properties: scoreProperties(
      predictedProperties,
      propertyNames,
      metadata,
    ),
  };
}

/** Trains on split.train, writes predictions for split.test. */
function classify(
  rows: HostMatrix,
  labels: Int32Array,
  split: FoldSplit,
  predictions: Int32Array,
  options: TaskGeneralizationOptions,
): void {
  const trainLabels = Array.from(split.train, (i) => labels[i]!);
  // A category with a single object has no identity task.
  if (new Set(trainLabels).size < 2 || split.test.length === 0) return;

  const train = gatherRows(rows, split.train);
  const test = gatherRows(rows, split.test);
  const testLabels = Array.from(split.test, (i) => labels[i]!);
  const classifier = trainSoftmaxClassifier(train, trainLabels, {
    ...options.classifier,
    classes: Math.max(...trainLabels, ...testLabels) + 1,
  });
  const predicted = predictClasses(classifier, test);
  split.test.forEach((image, i) => {
    predictions[image] = predicted[i]!;
  });
  disposeClassifier(classifier);
  tf.dispose([train, test]);
}

/** Kernel ridge from fold-standardized features to every property. */
function regressProperties(
  rows: HostMatrix,
  metadata: StimulusMetadata,
  names: readonly string[],
  split: FoldSplit,
  target: { predictions: Float32Array; options: RidgeSelectionOptions },
): void {
  const values = (images: Int32Array): Tensor2D => {
    const rows = new Float32Array(images.length * names.length);
    images.forEach((image, i) => {
      names.forEach((name, j) => {
        rows[i * names.length + j] = metadata.properties![name]![image]!;
      });
    });
    return tf.tensor2d(rows, [images.length, names.length]);
  };

  const trainRaw = gatherRows(rows, split.train);
  const testRaw = gatherRows(rows, split.test);
  const standardizer = fitStandardizer(trainRaw);
  const fold = tf.tidy(() => {
    const train = standardize(trainRaw, standardizer);
    const test = standardize(testRaw, standardizer);
    return {
      train: computeGram(train),
      testTrain: multiplyMatrices(test, train, false, true),
      responses: values(split.train),
    };
  });
  tf.dispose([trainRaw, testRaw]);
  disposeStandardizer(standardizer);

  const result = predictKernelRidgeCv(fold, target.options);
  const predicted = result.predictions.dataSync();
  split.test.forEach((image, i) => {
    target.predictions.set(
      predicted.subarray(i * names.length, (i + 1) * names.length),
      image * names.length,
    );
  });
  tf.dispose([result.predictions, ...Object.values(fold)]);
}

function scoreClassification(
  predicted: Int32Array,
  truth: Int32Array,
  images: readonly number[],
  classes: number,
  variations: readonly string[] | undefined,
): ClassificationScore {
  const accuracyOf = (subset: readonly number[]): number =>
    subset.filter((i) => predicted[i] === truth[i]).length / subset.length;
  return {
    accuracy: accuracyOf(images),
    chance: 1 / classes,
    byVariation: byLevel(images, variations, accuracyOf),
  };
}

function scoreObjectIdentity(
  predicted: Int32Array,
  truth: Int32Array,
  categories: { labels: (string | number)[]; rowOf: Int32Array },
  metadata: StimulusMetadata,
): TaskGeneralizationResult['objectIdentity'] {
  const byCategory: Record<string, ClassificationScore> = {};
  const scored: number[] = [];
  categories.labels.forEach((label, c) => {
    const images = allImages(truth.length).filter(
      (i) => categories.rowOf[i] === c,
    );
    const objects = new Set(images.map((i) => metadata.objects[i])).size;
    if (objects < 2) return;
    scored.push(...images);
    byCategory[String(label)] = scoreClassification(
      predicted,
      truth,
      images,
      objects,
      metadata.variations,
    );
  });
  const scores = Object.values(byCategory).map((score) => score.accuracy);
  const accuracyOf = (subset: readonly number[]): number =>
    subset.filter((i) => predicted[i] === truth[i]).length / subset.length;
  return {
    accuracy: scores.reduce((sum, a) => sum + a, 0) / scores.length,
    byCategory,
    byVariation: byLevel(scored, metadata.variations, accuracyOf),
  };
}

function scoreProperties(
  predicted: Float32Array,
  names: readonly string[],
  metadata: StimulusMetadata,
): Record<string, PropertyScore> {
  const n = metadata.categories.length;
  const properties: Record<string, PropertyScore> = {};
  names.forEach((name, j) => {
    const truth = metadata.properties![name]!;
    const pick = (subset: readonly number[]) => ({
      measured: subset.map((i) => truth[i]!),
      guessed: subset.map((i) => predicted[i * names.length + j]!),
    });
    const all = pick(allImages(n));
    properties[name] = {
      correlation: pearsonCorrelation(all.measured, all.guessed),
      coefficientOfDetermination: computeDetermination(
        all.measured,
        all.guessed,
      ),
      byVariation: byLevel(allImages(n), metadata.variations, (subset) => {
        const { measured, guessed } = pick(subset);
        return pearsonCorrelation(measured, guessed);
      }),
    };
  });
  return properties;
}

/** 1 - SSE / SST of guesses against measurements. */
function computeDetermination(
  measured: readonly number[],
  guessed: readonly number[],
): number {
  const mean = measured.reduce((sum, v) => sum + v, 0) / measured.length;
  let residual = 0;
  let total = 0;
  measured.forEach((value, i) => {
    residual += (value - guessed[i]!) ** 2;
    total += (value - mean) ** 2;
  });
  return 1 - residual / total;
}

/** A score per variation level, over that level's images among `images`. */
function byLevel(
  images: readonly number[],
  variations: readonly string[] | undefined,
  score: (subset: readonly number[]) => number,
): Record<string, number> {
  if (variations === undefined) return {};
  const levels: Record<string, number[]> = {};
  for (const image of images) {
    (levels[variations[image]!] ??= []).push(image);
  }
  const scores: Record<string, number> = {};
  for (const level of Object.keys(levels).sort()) {
    scores[level] = score(levels[level]!);
  }
  return scores;
}

/** Each image's object as an index among its category's objects. */
function indexObjectsWithinCategories(metadata: StimulusMetadata): Int32Array {
  const seen = new Map<string, Map<string, number>>();
  return Int32Array.from(metadata.objects, (object, i) => {
    const category = metadata.categories[i]!;
    let objects = seen.get(category);
    if (objects === undefined) {
      objects = new Map();
      seen.set(category, objects);
    }
    let index = objects.get(object);
    if (index === undefined) {
      index = objects.size;
      objects.set(object, index);
    }
    return index;
  });
}

/** The part of a split whose images belong to category c. */
function restrictSplit(
  split: FoldSplit,
  categoryOf: Int32Array,
  c: number,
): FoldSplit {
  return {
    train: split.train.filter((i) => categoryOf[i] === c),
    test: split.test.filter((i) => categoryOf[i] === c),
  };
}

function allImages(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function checkStimuli(
  features: Tensor2D,
  metadata: StimulusMetadata,
  folds: number,
): void {
  if (features.rank !== 2) {
    throw new ShapeError(
      'evaluateTaskGeneralization',
      '[images, d]',
      features.shape,
    );
  }
  const n = features.shape[0];
  const lists: [string, ArrayLike<unknown> | undefined][] = [
    ['categories', metadata.categories],
    ['objects', metadata.objects],
    ['variations', metadata.variations],
    ...Object.entries(metadata.properties ?? {}).map(
      ([name, values]): [string, ArrayLike<number>] => [
        `properties.${name}`,
        values,
      ],
    ),
  ];
  const issues = lists
    .filter(([, values]) => values !== undefined && values.length !== n)
    .map(([path, values]) => ({
      path,
      message: `expected ${n} values (one per image), got ${values!.length}`,
    }));
  const counts = new Map<string, number>();
  for (const object of metadata.objects) {
    counts.set(object, (counts.get(object) ?? 0) + 1);
  }
  for (const [object, count] of counts) {
    if (count < folds) {
      issues.push({
        path: 'objects',
        message: `object '${object}' has ${count} images, fewer than the ` +
          `${folds} folds that must each hold one out`,
      });
    }
  }
  if (issues.length > 0) throw new ValidationError('stimulus metadata', issues);
}
