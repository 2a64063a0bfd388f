/**
 * Representational similarity analysis of one layer against one brain
 * area, at the image and the object level, with the neural data's own
 * ceiling and the category-membership model for reference.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import { ShapeError } from '@hourglass/common';

import { averageGroups } from './group-average.ts';
import { compareRdms, computeCategoryRdm, computeRdm } from './rdm.ts';
import { computeRdmCeiling, responsesOf } from './rdm-ceiling.ts';
import type { RdmCeiling } from './rdm-ceiling.ts';
import type { SplitHalfOptions } from './site-reliability.ts';

/** A layer and an area's recordings over the same stimuli. */
export interface RsaInput {
  /** The layer's features, [images, d]. */
  features: Tensor2D;
  /** Single-trial responses, [repetitions, images, sites]. */
  trials: Tensor3D;
  /** Each image's object: enables the object-level comparison. */
  objects?: readonly (string | number)[];
  /** Each image's category: enables the category-model comparison. */
  categories?: readonly (string | number)[];
}

/** One level (images or objects) of an RSA. */
export interface RsaLevel {
  /** Spearman r between the model RDM and the neural RDM. */
  modelVsNeural: number;
  /** The neural RDM's split-half ceiling. */
  ceiling: RdmCeiling;
  /** modelVsNeural / ceiling.ceiling. */
  normalized: number;
}

/** The results of `evaluateRsa`. */
export interface RsaResult {
  image: RsaLevel;
  object?: RsaLevel;
  /** Spearman r between the model RDM and the category RDM (images). */
  modelVsCategory?: number;
  /** The same for the neural RDM: how categorical the area is. */
  neuralVsCategory?: number;
}

/**
 * Compares a layer's RDM with an area's (responses averaged over
 * repetitions first) by Spearman correlation of the upper triangles, at
 * the image level and, given objects, at the object level (each object's
 * images averaged first); each with its split-half ceiling. Given
 * categories, also compares both RDMs with category membership.
 */
export function evaluateRsa(
  input: RsaInput,
  options: SplitHalfOptions = {},
): RsaResult {
  const { features, trials, objects, categories } = input;
  const images = trials.shape[1];
  if (features.rank !== 2 || features.shape[0] !== images) {
    throw new ShapeError(
      'evaluateRsa',
      `features [${images}, d]`,
      features.shape,
    );
  }

  const model = computeRdm(features);
  const neural = tf.tidy(() =>
    computeRdm(responsesOf(trials, undefined, undefined)),
  );
  try {
    const result: RsaResult = {
      image: scoreLevel(model, neural, trials, undefined, options),
    };
    if (categories !== undefined) {
      const category = computeCategoryRdm(categories);
      result.modelVsCategory = compareRdms(model, category);
      result.neuralVsCategory = compareRdms(neural, category);
      category.dispose();
    }
    if (objects !== undefined) {
      result.object = compareObjects(features, trials, objects, options);
    }
    return result;
  } finally {
    tf.dispose([model, neural]);
  }
}

function compareObjects(
  features: Tensor2D,
  trials: Tensor3D,
  objects: readonly (string | number)[],
  options: SplitHalfOptions,
): RsaLevel {
  const model = tf.tidy(() =>
    computeRdm(averageGroups(features, objects).responses),
  );
  const neural = tf.tidy(() =>
    computeRdm(responsesOf(trials, undefined, objects)),
  );
  try {
    return scoreLevel(model, neural, trials, objects, options);
  } finally {
    tf.dispose([model, neural]);
  }
}

function scoreLevel(
  model: Tensor2D,
  neural: Tensor2D,
  trials: Tensor3D,
  groups: readonly (string | number)[] | undefined,
  options: SplitHalfOptions,
): RsaLevel {
  const modelVsNeural = compareRdms(model, neural);
  const ceiling = computeRdmCeiling(trials, {
    ...options,
    ...(groups === undefined ? {} : { groups }),
  });
  return {
    modelVsNeural,
    ceiling,
    normalized: modelVsNeural / ceiling.ceiling,
  };
}
