/**
 * Evaluations of a layer's frozen features: the linear probe, RSA,
 * neural fitting and task generalization, each turned into the rows the
 * evaluation table stores (one per layer, area and method).
 */
import * as tf from '@tensorflow/tfjs-core';

import {
  compareRdms,
  computeCategoryRdm,
  computeRdm,
  computeSiteReliability,
  evaluateRsa,
  evaluateTaskGeneralization,
  fitNeuralSites,
  runLinearProbe,
  type TaskGeneralizationResult,
} from '@hourglass/evaluation';
import type { NeuralDataset } from '@hourglass/data';
import type { EvaluationSettings } from '@hourglass/specs';

import type { AreaTrials } from './evaluation-inputs.ts';
import type { ResultRow } from './evaluation-messages.ts';

/** Probe rows of one layer: held-out top-1 as the score. */
export function probeLayer(
  layer: string,
  train: { features: tf.Tensor2D; labels: Int32Array },
  test: { features: tf.Tensor2D; labels: Int32Array },
  options: { settings: EvaluationSettings; classes: number; seed: number },
): ResultRow[] {
  const { probe } = options.settings;
  const result = runLinearProbe(train, test, {
    classes: options.classes,
    epochs: probe.epochs,
    weightDecay: probe.weightDecay,
    seed: options.seed,
  });
  return [
    {
      layer,
      score: result.top1,
      details: {
        top1: result.top1,
        ...(result.top5 !== undefined ? { top5: result.top5 } : {}),
        trainTop1: result.trainTop1,
        classes: result.classes,
        trainImages: train.labels.length,
        testImages: test.labels.length,
        featureDimensions: train.features.shape[1],
      },
    },
  ];
}

/**
 * The layer's RDM against the category-membership RDM, on images of the
 * model's own dataset: the RSA that needs no neural data.
 */
export function compareWithCategories(
  layer: string,
  features: tf.Tensor2D,
  labels: Int32Array,
): ResultRow[] {
  const score = tf.tidy(() => {
    const model = computeRdm(features);
    return compareRdms(model, computeCategoryRdm(Array.from(labels)));
  });
  return [{ layer, area: 'category', method: 'image', score, details: { images: labels.length } }];
}

/** RSA of one layer against each area, at image and object level. */
export function rsaLayer(
  layer: string,
  features: tf.Tensor2D,
  stimuli: NeuralDataset,
  areas: readonly AreaTrials[],
  seed: number,
): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const { area, trials } of areas) {
    const result = evaluateRsa(
      {
        features,
        trials,
        objects: stimuli.meta.objectName,
        categories: stimuli.meta.category,
      },
      { seed },
    );
    const levels = [['image', result.image], ['object', result.object]] as const;
    for (const [method, level] of levels) {
      if (level === undefined) continue;
      rows.push({
        layer,
        area,
        method,
        score: level.modelVsNeural,
        details: {
          ceiling: level.ceiling.ceiling,
          meanHalfCorrelation: level.ceiling.meanHalfCorrelation,
          normalized: level.normalized,
          ...(result.neuralVsCategory !== undefined
            ? { neuralVsCategory: result.neuralVsCategory }
            : {}),
        },
      });
    }
    if (result.modelVsCategory !== undefined && area === areas[0]!.area) {
      rows.push({ layer, area: 'category', method: 'image', score: result.modelVsCategory });
    }
  }
  return rows;
}

/** Each site's split-half reliability, once per area. */
export function measureReliability(areas: readonly AreaTrials[], seed: number) {
  return new Map(
    areas.map(({ area, trials }) => [
      area,
      computeSiteReliability(trials, { seed }).reliability,
    ]),
  );
}

/** Ridge and PLS fits of one layer to each area's sites. */
export function fitLayerToAreas(
  layer: string,
  features: tf.Tensor2D,
  stimuli: NeuralDataset,
  areas: readonly AreaTrials[],
  options: {
    settings: EvaluationSettings;
    reliability: Map<string, Float32Array>;
    seed: number;
  },
): ResultRow[] {
  const { neuralFit } = options.settings;
  const rows: ResultRow[] = [];
  for (const { area, mean } of areas) {
    for (const method of neuralFit.methods) {
      const fit = fitNeuralSites(
        { features, responses: mean, reliability: options.reliability.get(area)! },
        {
          method,
          folds: neuralFit.folds,
          plsComponents: neuralFit.plsComponents,
          reliabilityThreshold: neuralFit.reliabilityThreshold,
          strata: stimuli.meta.objectName,
          seed: options.seed,
        },
      );
      rows.push({
        layer,
        area,
        method,
        score: fit.medianNormalizedExplainedVariance,
        details: {
          medianExplainedVariance: fit.medianExplainedVariance,
          reliableSites: fit.reliableSites,
          sites: fit.normalizedExplainedVariance.length,
          perSite: Array.from(fit.normalizedExplainedVariance, toJsonNumber),
          explainedVariance: Array.from(fit.explainedVariance, toJsonNumber),
          reliability: Array.from(fit.reliability, toJsonNumber),
        },
      });
    }
  }
  return rows;
}

/**
 * Task generalization rows of one representation: a layer's features
 * (area '') or an area's mean responses (layer '', the reference).
 */
export function generalizeTasks(
  source: { layer: string; area: string },
  features: tf.Tensor2D,
  stimuli: NeuralDataset,
  options: { folds: number; seed: number },
): ResultRow[] {
  const { meta } = stimuli;
  const result = evaluateTaskGeneralization(
    features,
    {
      categories: meta.category,
      objects: meta.objectName,
      variations: meta.variationLevel,
      properties: meta.properties,
    },
    options,
  );
  return toTaskRows(source, result);
}

function toTaskRows(
  source: { layer: string; area: string },
  result: TaskGeneralizationResult,
): ResultRow[] {
  const rows: ResultRow[] = [
    {
      ...source,
      method: 'category',
      score: result.category.accuracy,
      details: { chance: result.category.chance, byVariation: result.category.byVariation },
    },
    {
      ...source,
      method: 'object',
      score: result.objectIdentity.accuracy,
      details: {
        byVariation: result.objectIdentity.byVariation,
        byCategory: Object.fromEntries(
          Object.entries(result.objectIdentity.byCategory).map(([name, score]) => [
            name,
            score.accuracy,
          ]),
        ),
      },
    },
  ];
  for (const [name, property] of Object.entries(result.properties)) {
    rows.push({
      ...source,
      method: name,
      score: property.correlation,
      details: {
        coefficientOfDetermination: property.coefficientOfDetermination,
        byVariation: property.byVariation,
      },
    });
  }
  return rows;
}

// JSON has no NaN: a site whose fit is undefined is stored as null.
function toJsonNumber(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
