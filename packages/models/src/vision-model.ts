/**
 * The contract every model family meets, so that one training loop, one
 * checkpoint format and every evaluation work for all of them.
 */
import type { Scalar, Tensor, Tensor4D, Variable } from '@tensorflow/tfjs-core';

/** How a forward pass runs; families with dropout or noise read `training`. */
export interface ForwardOptions {
  /** True while training; false (the default) for evaluation. */
  training?: boolean;
  /**
   * Seed of the step's random draws (dropout masks, the VAE's latent
   * noise) while training. The training loop derives it from the run's
   * seed and the step number, so a resumed run draws the same noise as an
   * unbroken one. Absent, a model draws from its own running stream.
   */
  noiseSeed?: number;
}

/** How a loss is computed; see ForwardOptions.noiseSeed. */
export interface LossOptions {
  noiseSeed?: number;
}

/** What a forward pass produces. The caller owns and disposes every tensor. */
export interface ForwardResult {
  /** The model's output: for autoencoders, the reconstruction [n, h, w, 3]. */
  output: Tensor;
  /**
   * Named intermediate activations, NHWC; a fully connected layer of u
   * units is given as [n, 1, 1, u]. Holds at least every name in
   * `encodingLayers`; entries may be the same tensor as `output`.
   */
  layers: Record<string, Tensor>;
}

/** A model's training objective, split into the parts that are logged. */
export interface LossResult {
  /** The scalar that is minimised. */
  total: Scalar;
  /**
   * Its named parts (reconstruction, sparsity, kl, ...), each logged as
   * `loss/<term>`. A term may be the same tensor as `total`.
   */
  terms: Record<string, Scalar>;
  /**
   * Values worth logging that are not part of the loss, by their metric
   * name ('sparsity/near_zero_fraction', 'elbo'); no gradient flows here.
   */
  metrics?: Record<string, Scalar>;
}

/**
 * A trainable vision model. Images enter as a batch [n, h, w, 3] of floats
 * in [0, 1]. The model owns its variables until `dispose`.
 */
export interface VisionModel {
  /** The family id from the run spec, such as 'shallow-ae'. */
  readonly family: string;
  /**
   * Every trainable variable, in a fixed order. Their engine names carry
   * an instance scope ('shallow-ae-3/encoder/conv/kernel') because
   * TensorFlow.js needs variable names unique across live models.
   */
  readonly variables: readonly Variable[];
  /**
   * The stable names of `variables`, in the same order, without the
   * instance scope ('encoder/conv/kernel'): checkpoints are keyed by these.
   */
  readonly variableNames: readonly string[];
  /** The layers evaluations read features from, in input-to-output order. */
  readonly encodingLayers: readonly string[];
  /** Runs the model on x [n, h, w, 3]. */
  forward(x: Tensor4D, options?: ForwardOptions): ForwardResult;
  /**
   * The training objective on x [n, h, w, 3]; `labels` [n] (int32) is read
   * only by supervised families. Runs the forward pass in training mode.
   */
  computeLoss(x: Tensor4D, labels?: Tensor, options?: LossOptions): LossResult;
  /**
   * Held-out metrics of one batch (such as 'top1', the fraction whose
   * highest-scoring class is the label), for the training loop to average
   * over the test split. Only families that predict labels have it.
   */
  computeValidationMetrics?(x: Tensor4D, labels: Tensor): Record<string, Scalar>;
  /**
   * The first layer's kernels [kh, kw, 3, filters], for filter
   * visualisation; a new tensor the caller disposes.
   */
  firstLayerKernels(): Tensor4D;
  /** Frees the model's variables. */
  dispose(): void;
}
