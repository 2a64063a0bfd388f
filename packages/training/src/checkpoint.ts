/**
 * What a checkpoint holds: everything needed to continue a run exactly
 * where it stopped. The tensors are plain typed arrays, so a checkpoint can
 * be read, compared and written without touching a tfjs backend.
 */
import type { BatchPosition } from '@hourglass/data';

/** The element types a checkpoint stores. */
export type CheckpointDtype = 'float32' | 'int32';

/** One named tensor: model weight or optimizer slot. */
export interface CheckpointTensor {
  /**
   * A model variable's stable name ('encoder/conv/kernel'), or an
   * optimizer slot's ('iter', 'encoder/conv/kernel/m').
   */
  name: string;
  dtype: CheckpointDtype;
  shape: number[];
  values: Float32Array | Int32Array;
}

/** The full state of a run after `step` optimizer updates. */
export interface Checkpoint {
  runId: string;
  /** Optimizer updates done; the resumed run's next update is step + 1. */
  step: number;
  /** The model family, as in the run spec. */
  modelFamily: string;
  /** fingerprintSpec of the run's spec. */
  specFingerprint: string;
  /** Where the batch sampler stands: the next batch to train on. */
  samplerPosition: BatchPosition;
  /** The tfjs optimizer class that owns `optimizerWeights` ('Adam'). */
  optimizerClass: string;
  /** The model's variables, in the model's order. */
  modelWeights: CheckpointTensor[];
  /**
   * optimizer.getWeights() in its order: the iteration count 'iter'
   * (int32 scalar) first, then the slots (Adam: every first moment, then
   * every second moment; momentum: every accumulation).
   */
  optimizerWeights: CheckpointTensor[];
}

/** What was written: handed to onCheckpoint and recorded by the worker. */
export interface CheckpointInfo {
  step: number;
  /** The file's path. */
  path: string;
  sizeBytes: number;
  /** sha256 of the whole file, hex. */
  sha256: string;
}

/** A checkpoint read back from disk, with the file it came from. */
export interface LoadedCheckpoint extends Checkpoint {
  info: CheckpointInfo;
}
