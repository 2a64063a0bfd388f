/**
 * One optimizer update: the model's loss on a batch, its gradients with
 * respect to every model variable, clipping, and the optimizer's step.
 * Every tensor made here is freed before it returns.
 */
import * as tf from '@tensorflow/tfjs-core';

import { TrainingError } from '@hourglass/common';
import type { Batch } from '@hourglass/data';
import type { VisionModel } from '@hourglass/models';

import { clipByGlobalNorm } from './clip-gradients.ts';
import './register-gradients.ts';
import type { TrainingOptimizer } from './training-optimizer.ts';

/** What a step needs besides the batch. */
export interface TrainStepContext {
  model: VisionModel;
  optimizer: TrainingOptimizer;
  /** Clip gradients to this global L2 norm; undefined: no clipping. */
  gradientClipNorm?: number;
}

/** The losses of one step, read back from the backend. */
export interface StepLosses {
  total: number;
  /** Each named part of the loss (see LossResult.terms). */
  terms: Record<string, number>;
}

/**
 * Runs update number `step` (1-based, for messages) on `batch` and returns
 * its losses. Throws TrainingError, without touching the weights, when
 * the loss is NaN or infinite.
 */
export function runTrainStep(
  context: TrainStepContext,
  batch: Batch,
  step: number,
): StepLosses {
  const { model, optimizer, gradientClipNorm } = context;
  const variables = [...model.variables];
  let termTensors: Record<string, tf.Scalar> = {};

  // variableGrads frees everything made inside but the loss; the terms
  // are kept by hand so that they can be logged.
  const { value, grads } = tf.variableGrads(() => {
    const x = tf.tensor4d(batch.pixels, batch.shape);
    const labels = tf.tensor1d(batch.labels, 'int32');
    const loss = model.computeLoss(x, labels);
    termTensors = Object.fromEntries(
      Object.entries(loss.terms).map(([name, term]) => [name, tf.keep(term)]),
    );
    return loss.total;
  }, variables);

  try {
    const total = value.dataSync()[0]!;
    if (!Number.isFinite(total)) {
      throw new TrainingError(`loss is ${total} at step ${step}; training diverged`);
    }
    const terms = Object.fromEntries(
      Object.entries(termTensors).map(([name, term]) => [
        name,
        term.dataSync()[0]!,
      ]),
    );

    tf.tidy(() => {
      const gradients = variables.map((variable, i) => {
        const gradient = grads[variable.name];
        if (gradient !== undefined) return gradient;
        const name = model.variableNames[i] ?? variable.name;
        throw new TrainingError(`no gradient reaches variable ${name}`);
      });
      const applied =
        gradientClipNorm === undefined
          ? gradients
          : clipByGlobalNorm(gradients, gradientClipNorm);
      // Optimizers keep their slots by position, so the order must stay
      // that of model.variables on every step and after a resume.
      optimizer.applyGradients(
        variables.map((variable, i) => ({
          name: variable.name,
          tensor: applied[i]!,
        })),
      );
    });
    return { total, terms };
  } finally {
    tf.dispose([value, ...Object.values(grads), ...Object.values(termTensors)]);
  }
}
