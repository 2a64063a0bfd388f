/**
 * One optimizer update: the model's loss on a batch, its gradients with
 * respect to every model variable, clipping, and the optimizer's step.
 * Every tensor made here is freed before it returns.
 */
import * as tf from '@tensorflow/tfjs-core';

import { TrainingError, deriveSeed } from '@hourglass/common';
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
  /**
   * The run's noise seed. Step k's random draws (dropout masks, latent
   * noise) come from a seed derived from it and k, so a run resumed at
   * any step draws what an unbroken run draws. Undefined: the model's own
   * stream, which a resume does not reproduce.
   */
  noiseSeed?: number;
}

/** The losses of one step, read back from the backend. */
export interface StepLosses {
  total: number;
  /** Each named part of the loss (see LossResult.terms). */
  terms: Record<string, number>;
  /** The model's other per-step values (see LossResult.metrics). */
  metrics: Record<string, number>;
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
  const noiseSeed =
    context.noiseSeed === undefined
      ? undefined
      : deriveSeed(context.noiseSeed, `step-${step}`);
  let termTensors: Record<string, tf.Scalar> = {};
  let metricTensors: Record<string, tf.Scalar> = {};

  // variableGrads frees everything made inside but the loss; the terms
  // and metrics are kept by hand so that they can be logged.
  const { value, grads } = tf.variableGrads(() => {
    const x = tf.tensor4d(batch.pixels, batch.shape);
    const labels = tf.tensor1d(batch.labels, 'int32');
    const loss = model.computeLoss(x, labels, { noiseSeed });
    termTensors = keepAll(loss.terms);
    metricTensors = keepAll(loss.metrics ?? {});
    return loss.total;
  }, variables);

  try {
    const total = value.dataSync()[0]!;
    if (!Number.isFinite(total)) {
      throw new TrainingError(`loss is ${total} at step ${step}; training diverged`);
    }
    const terms = readAll(termTensors);
    const metrics = readAll(metricTensors);

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
    return { total, terms, metrics };
  } finally {
    tf.dispose([
      value,
      ...Object.values(grads),
      ...Object.values(termTensors),
      ...Object.values(metricTensors),
    ]);
  }
}

function keepAll(scalars: Record<string, tf.Scalar>): Record<string, tf.Scalar> {
  return Object.fromEntries(
    Object.entries(scalars).map(([name, scalar]) => [name, tf.keep(scalar)]),
  );
}

function readAll(scalars: Record<string, tf.Scalar>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(scalars).map(([name, scalar]) => [name, scalar.dataSync()[0]!]),
  );
}
