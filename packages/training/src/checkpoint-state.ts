/**
 * Moving a run's state between live tfjs objects and a Checkpoint: the
 * model's variables by their stable names, the optimizer's weights in
 * the order tfjs gives them.
 */
import * as tf from '@tensorflow/tfjs-core';

import { DataFormatError } from '@hourglass/common';
import type { BatchPosition } from '@hourglass/data';
import type { VisionModel } from '@hourglass/models';

import type {
  Checkpoint,
  CheckpointTensor,
  LoadedCheckpoint,
} from './checkpoint.ts';
import type { TrainingOptimizer } from './training-optimizer.ts';

/** The live objects a checkpoint is taken from or restored into. */
export interface TrainingState {
  runId: string;
  step: number;
  specFingerprint: string;
  samplerPosition: BatchPosition;
  model: VisionModel;
  optimizer: TrainingOptimizer;
}

/** Copies the current weights and optimizer state out of the backend. */
export async function captureCheckpoint(state: TrainingState): Promise<Checkpoint> {
  const { model, optimizer } = state;
  const modelWeights = await Promise.all(
    model.variables.map((variable, i) =>
      readTensor(model.variableNames[i]!, variable),
    ),
  );

  // getWeights makes a fresh scalar for the iteration count; the slots
  // are the optimizer's own variables and stay alive.
  const named = await optimizer.getWeights();
  const optimizerWeights = await Promise.all(
    named.map(({ name, tensor }) => readTensor(toStableName(name, model), tensor)),
  );
  for (const { name, tensor } of named) {
    if (name === 'iter') tensor.dispose();
  }

  return {
    runId: state.runId,
    step: state.step,
    modelFamily: model.family,
    specFingerprint: state.specFingerprint,
    samplerPosition: state.samplerPosition,
    optimizerClass: optimizer.getClassName(),
    modelWeights,
    optimizerWeights,
  };
}

/**
 * Loads a checkpoint's weights into `model` and its slots and iteration
 * count into a fresh `optimizer`. Throws DataFormatError when the
 * checkpoint does not fit them (another family, shape or optimizer).
 */
export async function restoreCheckpoint(
  checkpoint: LoadedCheckpoint,
  model: VisionModel,
  optimizer: TrainingOptimizer,
): Promise<void> {
  const fail = (message: string) =>
    new DataFormatError(checkpoint.info.path, message);
  if (checkpoint.optimizerClass !== optimizer.getClassName()) {
    throw fail(
      `holds ${checkpoint.optimizerClass} state, not ${optimizer.getClassName()}`,
    );
  }
  const slots = checkpoint.optimizerWeights.filter(({ name }) => name !== 'iter');
  if (slots.length === checkpoint.optimizerWeights.length) {
    throw fail('has no optimizer iteration count');
  }
  // Slots come in whole passes over the variables (Adam: m, then v).
  if (slots.length % model.variables.length !== 0) {
    throw fail(
      `has ${slots.length} optimizer slots ` +
        `for ${model.variables.length} variables`,
    );
  }
  slots.forEach((slot, i) => {
    assertShape(slot, model.variables[i % model.variables.length]!.shape, fail);
  });

  restoreModelWeights(checkpoint, model);
  const named = checkpoint.optimizerWeights.map((saved) => ({
    name: saved.name,
    tensor: toTensor(saved),
  }));
  // tfjs's Adam rebuilds beta^t with pow() here instead of its running
  // product, so a resumed Adam run matches an unbroken one to float
  // rounding (about 1e-7), not bit for bit.
  await optimizer.setWeights(named);
  tf.dispose(named.map(({ tensor }) => tensor));
}

/**
 * Loads only a checkpoint's model weights into `model`, as evaluating a
 * checkpoint needs. Throws DataFormatError when the checkpoint holds
 * another family or a weight is missing or of another shape.
 */
export function restoreModelWeights(
  checkpoint: LoadedCheckpoint,
  model: VisionModel,
): void {
  const fail = (message: string) =>
    new DataFormatError(checkpoint.info.path, message);
  if (checkpoint.modelFamily !== model.family) {
    throw fail(`holds a ${checkpoint.modelFamily} model, not ${model.family}`);
  }

  const byName = new Map(
    checkpoint.modelWeights.map((tensor) => [tensor.name, tensor]),
  );
  const weights = model.variables.map((variable, i) => {
    const name = model.variableNames[i]!;
    const saved = byName.get(name);
    if (saved === undefined) throw fail(`has no weights for ${name}`);
    assertShape(saved, variable.shape, fail);
    return saved;
  });
  model.variables.forEach((variable, i) => {
    tf.tidy(() => variable.assign(toTensor(weights[i]!)));
  });
}

async function readTensor(
  name: string,
  tensor: tf.Tensor,
): Promise<CheckpointTensor> {
  const data = await tensor.data();
  const values =
    tensor.dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data);
  return {
    name,
    dtype: tensor.dtype === 'int32' ? 'int32' : 'float32',
    shape: [...tensor.shape],
    values,
  };
}

function toTensor(saved: CheckpointTensor): tf.Tensor {
  return tf.tensor(saved.values, saved.shape, saved.dtype);
}

// Optimizer slots are named after the engine's variable names, which
// carry a per-process instance scope; the checkpoint keeps stable names.
function toStableName(name: string, model: VisionModel): string {
  const index = model.variables.findIndex((variable) =>
    name.startsWith(`${variable.name}/`),
  );
  if (index === -1) return name;
  const engineName = model.variables[index]!.name;
  return model.variableNames[index]! + name.slice(engineName.length);
}

function assertShape(
  saved: CheckpointTensor,
  shape: readonly number[],
  fail: (message: string) => DataFormatError,
): void {
  const matches =
    saved.shape.length === shape.length &&
    saved.shape.every((size, i) => size === shape[i]);
  if (!matches) {
    throw fail(
      `${saved.name} has shape [${saved.shape.join(', ')}], ` +
        `the model needs [${shape.join(', ')}]`,
    );
  }
}
