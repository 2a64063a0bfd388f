/**
 * The training loop every model family shares: seeded model and data
 * order, one optimizer update per batch, metrics in batches, checkpoints
 * on a schedule, and a resumed run that continues exactly where its
 * checkpoint left off. Batches come from a BatchSource, so an image
 * folder is decoded ahead of the model while an in-memory dataset is
 * gathered batch by batch as before.
 */
import { performance } from 'node:perf_hooks';

import * as tf from '@tensorflow/tfjs-core';

import {
  ShapeError,
  TrainingError,
  ValidationError,
  deriveSeed,
} from '@hourglass/common';
import type { Logger } from '@hourglass/common';
import { createBatchSource } from '@hourglass/data';
import type { BatchSource, Dataset, StreamingDataset } from '@hourglass/data';
import { createModel, prepareModelContext } from '@hourglass/models';
import type { ModelContext, VisionModel } from '@hourglass/models';
import type { RunSpec } from '@hourglass/specs';

import type { CheckpointInfo, LoadedCheckpoint } from './checkpoint.ts';
import { loadCheckpoint, writeCheckpoint } from './checkpoint-file.ts';
import { captureCheckpoint, restoreCheckpoint } from './checkpoint-state.ts';
import { MetricsBuffer, type MetricPoint } from './metrics-buffer.ts';
import { computeLearningRate, computeTotalSteps } from './schedule.ts';
import { fingerprintSpec } from './spec-fingerprint.ts';
import { runTrainStep } from './train-step.ts';
import { readHeldOutBatches, readTrainingSample, toRunDataset } from './training-data.ts';
import { createTrainingOptimizer } from './training-optimizer.ts';
import type { TrainingOptimizer } from './training-optimizer.ts';

/** What a caller can ask of a running run at a batch boundary. */
export type StopRequest = 'cancel' | 'checkpoint-and-stop';

/** Everything trainRun needs; the callbacks default to doing nothing. */
export interface TrainRunOptions {
  runId: string;
  /** The parsed spec, as stored: it is trusted here. */
  spec: RunSpec;
  /**
   * The dataset, in memory (loadDataset) or streamed (openDataset); its
   * training images must be imageSize square. Families that predict
   * labels are scored on its test split (else its validation split) at
   * every scheduled checkpoint and at the end ('validation/top1').
   */
  dataset: Dataset | StreamingDataset;
  /** Where step-<step>.ckpt files go. */
  checkpointDir: string;
  /** A checkpoint file of this run to continue from. */
  resumeFrom?: string;
  logger: Logger;
  /**
   * Receives metric points in step order, every metricsEverySteps steps,
   * before every checkpoint is reported and at the end. A run resumed from
   * step k sends again the points of steps after k, with the same steps:
   * the receiver keeps (run, name, step) unique.
   */
  onMetrics?: (points: MetricPoint[]) => Promise<void>;
  /**
   * Called once the checkpoint file is in place and every metric up to
   * its step has been handed to onMetrics.
   */
  onCheckpoint?: (info: CheckpointInfo) => Promise<void>;
  /** Called after every step with the steps done and the run's total. */
  onProgress?: (step: number, totalSteps: number) => void;
  /**
   * Polled at every batch boundary, after yielding to the event loop.
   * 'cancel' returns at once with stoppedBy 'cancel' and writes no
   * checkpoint; 'checkpoint-and-stop' writes one, then returns.
   */
  pollStop?: () => StopRequest | undefined;
}

/** How a run ended. A cancelled run returns; it does not throw. */
export interface TrainRunResult {
  /** Optimizer updates done, counting those before a resume. */
  finalStep: number;
  totalSteps: number;
  /** Absent when the run trained to its last step. */
  stoppedBy?: StopRequest;
  /** Throughput of this call's steps, excluding checkpoints and callbacks. */
  imagesPerSecond: number;
  /** The last checkpoint written by this call, if any. */
  lastCheckpoint?: CheckpointInfo;
}

/**
 * Trains `spec`'s model on `dataset.train` until the schedule's end or a
 * stop request. Throws TrainingError when the loss becomes NaN or
 * infinite, DataFormatError when `resumeFrom` is unreadable or does not
 * fit, or when an image folder set to fail on bad images meets one.
 */
export async function trainRun(options: TrainRunOptions): Promise<TrainRunResult> {
  const { spec } = options;
  const dataset = toRunDataset(options.dataset);
  assertDatasetFits(spec, dataset);
  const checkpoint = await loadResumeCheckpoint(options);

  // Opened first, so the first batches decode while the model is built.
  const batches = createBatchSource({
    source: dataset.train,
    batchSize: spec.batchSize,
    seed: deriveSeed(spec.seed, 'data-order'),
    position: checkpoint?.samplerPosition,
  });
  let model: VisionModel | undefined;
  let optimizer: TrainingOptimizer | undefined;

  try {
    model = createModel(spec, await prepareContext(spec, dataset));
    optimizer = createTrainingOptimizer(spec.optimizer);
    const run = await openRun({ options, dataset, checkpoint, model, optimizer, batches });
    run.logger.info(
      {
        step: run.step,
        totalSteps: run.totalSteps,
        backend: tf.getBackend(),
        resumeFrom: options.resumeFrom,
      },
      'training started',
    );
    // The untrained network is the baseline every evaluation curve starts from.
    if (run.step === 0 && options.spec.evaluations.length > 0) {
      await saveCheckpoint(run);
    }

    while (run.step < run.totalSteps) {
      // A step blocks the event loop; yielding here lets IPC messages
      // (a cancel, a SIGTERM) arrive before pollStop is asked.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const request = options.pollStop?.();
      if (request === 'cancel') {
        await flushMetrics(run);
        return finishRun(run, 'cancel');
      }
      if (request === 'checkpoint-and-stop') {
        if (run.savedStep !== run.step) {
          await saveCheckpoint(run, { isStopping: true });
        }
        return finishRun(run, 'checkpoint-and-stop');
      }

      await trainNextBatch(run);
      const { step } = run;
      options.onProgress?.(step, run.totalSteps);
      if (step % options.spec.checkpointEverySteps === 0 && step < run.totalSteps) {
        await saveCheckpoint(run);
      } else if (step % options.spec.metricsEverySteps === 0) {
        await flushMetrics(run);
      }
    }

    if (run.savedStep !== run.step) await saveCheckpoint(run);
    await flushMetrics(run);
    return finishRun(run);
  } finally {
    optimizer?.dispose();
    model?.dispose();
    await batches.close();
  }
}

// Everything one trainRun call works with, shared by the steps below.
interface RunState {
  options: TrainRunOptions;
  dataset: StreamingDataset;
  logger: Logger;
  totalSteps: number;
  specFingerprint: string;
  model: VisionModel;
  optimizer: TrainingOptimizer;
  /** Its position is that of the batches trained on so far. */
  batches: BatchSource;
  metrics: MetricsBuffer;
  /** Updates done so far, counting those before a resume. */
  step: number;
  /** The step of the newest checkpoint on disk, if this run has one. */
  savedStep: number | undefined;
  lastCheckpoint: CheckpointInfo | undefined;
  imageCount: number;
  stepSeconds: number;
}

// The checkpoint options.resumeFrom names, checked against the spec
// before anything is built or read for it.
async function loadResumeCheckpoint(
  options: TrainRunOptions,
): Promise<LoadedCheckpoint | undefined> {
  if (options.resumeFrom === undefined) return undefined;

  const checkpoint = await loadCheckpoint(options.resumeFrom);
  if (checkpoint.specFingerprint !== fingerprintSpec(options.spec)) {
    throw new TrainingError(
      `${options.resumeFrom} was written for a different spec ` +
        `than run ${options.runId}'s`,
    );
  }
  return checkpoint;
}

// What the model needs from the training images. Only colorization
// reads them (class rebalancing), so the others are spared reading a
// streamed split's sample.
async function prepareContext(spec: RunSpec, dataset: StreamingDataset): Promise<ModelContext> {
  const images =
    spec.model.family === 'colorization'
      ? await readTrainingSample(dataset.train, deriveSeed(spec.seed, 'context'))
      : new Uint8Array(0);
  return prepareModelContext(spec, images);
}

// Sets up a fresh run, or restores one from its checkpoint.
async function openRun(parts: {
  options: TrainRunOptions;
  dataset: StreamingDataset;
  checkpoint: LoadedCheckpoint | undefined;
  model: VisionModel;
  optimizer: TrainingOptimizer;
  batches: BatchSource;
}): Promise<RunState> {
  const { options, dataset, checkpoint, model, optimizer, batches } = parts;
  if (checkpoint !== undefined) await restoreCheckpoint(checkpoint, model, optimizer);
  const step = checkpoint?.step ?? 0;

  return {
    options,
    dataset,
    logger: options.logger.child({ runId: options.runId }),
    totalSteps: computeTotalSteps(options.spec, dataset.train.count),
    specFingerprint: fingerprintSpec(options.spec),
    model,
    optimizer,
    batches,
    metrics: new MetricsBuffer(),
    step,
    // The checkpoint resumed from already holds the starting step.
    savedStep: options.resumeFrom === undefined ? undefined : step,
    lastCheckpoint: undefined,
    imageCount: 0,
    stepSeconds: 0,
  };
}

// One optimizer update on the source's next batch, and its metrics. The
// time counted includes any wait for the batch: a data stall is part of
// the throughput a run sees.
async function trainNextBatch(run: RunState): Promise<void> {
  const { spec } = run.options;
  const startedAt = performance.now();

  const learningRate = computeLearningRate(spec, run.step, run.totalSteps);
  run.optimizer.setLearningRate(learningRate);
  const batch = await run.batches.nextBatch();
  const context = {
    model: run.model,
    optimizer: run.optimizer,
    gradientClipNorm: spec.gradientClipNorm,
    noiseSeed: deriveSeed(spec.seed, 'noise'),
  };
  const losses = runTrainStep(context, batch, run.step + 1);

  const seconds = (performance.now() - startedAt) / 1000;
  run.step += 1;
  run.imageCount += batch.shape[0];
  run.stepSeconds += seconds;
  run.metrics.record({
    step: run.step,
    lossTotal: losses.total,
    lossTerms: losses.terms,
    metrics: losses.metrics,
    learningRate,
    imageCount: batch.shape[0],
    seconds,
  });
}

async function flushMetrics(run: RunState): Promise<void> {
  if (run.metrics.isEmpty) return;
  const points = run.metrics.drain();
  await run.options.onMetrics?.(points);
}

// The file first, then the metrics up to its step, then the report: when
// onCheckpoint hears of step k, every metric through k has been sent.
// Held-out metrics are measured here, except when the run is being
// stopped: a worker shutting down must not spend a minute scoring.
async function saveCheckpoint(
  run: RunState,
  options: { isStopping?: boolean } = {},
): Promise<void> {
  const validation = options.isStopping ? undefined : await measureValidation(run);
  if (validation !== undefined) run.metrics.recordValues(run.step, validation);

  const checkpoint = await captureCheckpoint({
    runId: run.options.runId,
    step: run.step,
    specFingerprint: run.specFingerprint,
    samplerPosition: run.batches.position,
    model: run.model,
    optimizer: run.optimizer,
  });
  const info = await writeCheckpoint(run.options.checkpointDir, checkpoint);

  await flushMetrics(run);
  await run.options.onCheckpoint?.(info);
  run.savedStep = run.step;
  run.lastCheckpoint = info;
  run.logger.info(
    { step: run.step, path: info.path, sizeBytes: info.sizeBytes },
    'checkpoint saved',
  );
}

function finishRun(run: RunState, stoppedBy?: StopRequest): TrainRunResult {
  const { step, totalSteps, lastCheckpoint, imageCount, stepSeconds } = run;
  const imagesPerSecond = stepSeconds > 0 ? imageCount / stepSeconds : 0;
  run.logger.info(
    { step, totalSteps, stoppedBy, imagesPerSecond },
    'training ended',
  );
  return {
    finalStep: step,
    totalSteps,
    stoppedBy,
    imagesPerSecond,
    lastCheckpoint,
  };
}

/**
 * At most this many test images are scored at each scheduled checkpoint
 * and at the end of a run (not at a checkpoint written to stop).
 */
export const VALIDATION_IMAGE_LIMIT = 2_048;

// The held-out metrics of a model that predicts labels (the supervised
// baseline's top-1), as 'validation/<name>', averaged over the first
// VALIDATION_IMAGE_LIMIT test images (validation images for a dataset
// without a test split); undefined for other models or without either.
// Scoring all 10,000 CIFAR-10 test images would add minutes to every
// checkpoint; the evaluations score the full split.
async function measureValidation(run: RunState): Promise<Record<string, number> | undefined> {
  const { model, dataset } = run;
  const heldOut = dataset.test ?? dataset.validation;
  const count = Math.min(heldOut?.count ?? 0, VALIDATION_IMAGE_LIMIT);
  if (model.computeValidationMetrics === undefined || heldOut === undefined || count === 0) {
    return undefined;
  }

  const sums: Record<string, number> = {};
  const batches = readHeldOutBatches(heldOut, count, run.options.spec.batchSize);
  for await (const { batch, size } of batches) {
    tf.tidy(() => {
      const x = tf.tensor4d(batch.pixels, batch.shape);
      const labels = tf.tensor1d(batch.labels, 'int32');
      const metrics = model.computeValidationMetrics!(x, labels);
      for (const [name, value] of Object.entries(metrics)) {
        sums[name] = (sums[name] ?? 0) + value.dataSync()[0]! * size;
      }
    });
  }
  return Object.fromEntries(
    Object.entries(sums).map(([name, sum]) => [`validation/${name}`, sum / count]),
  );
}

// The model takes any image size, but the spec records the size trained
// on; a dataset of another size means the wrong data was loaded.
function assertDatasetFits(spec: RunSpec, dataset: StreamingDataset): void {
  const { model } = spec;
  if (model.family === 'alexnet' && dataset.classNames.length > model.classCount) {
    throw new ValidationError('run spec', [
      {
        path: 'model.classCount',
        message:
          `${dataset.name} has ${dataset.classNames.length} classes; ` +
          `the classifier has ${model.classCount} outputs`,
      },
    ]);
  }

  const { count, height, width, channels } = dataset.train;
  if (height !== spec.imageSize || width !== spec.imageSize || channels !== 3) {
    const expected = `[n, ${spec.imageSize}, ${spec.imageSize}, 3]`;
    throw new ShapeError('trainRun', expected, [count, height, width, channels]);
  }
}
