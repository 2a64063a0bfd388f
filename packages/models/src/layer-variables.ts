/**
 * Seeded variables for the layers our models are built from. Every
 * variable draws from its own stream, derived from the run's seed and the
 * variable's stable name, so adding a layer never changes the initial
 * weights of another, and a seed gives the same weights on every backend.
 */
import type * as tf from '@tensorflow/tfjs-core';

import { deriveSeed } from '@hourglass/common';

import { glorotUniformKernel, glorotUniformMatrix } from './glorot-uniform.ts';
import { createModelVariables, type ModelVariables } from './model-variables.ts';

/** Creates one model instance's variables, in the order they are asked for. */
export interface LayerVariables extends ModelVariables {
  /** A conv kernel [k, k, in, out] (or transposed [k, k, out, in]), Glorot. */
  kernel(
    name: string,
    shape: [number, number, number, number],
  ): tf.Variable<tf.Rank.R4>;
  /** A fully connected kernel [in, out], Glorot. */
  matrix(name: string, shape: [number, number]): tf.Variable<tf.Rank.R2>;
  /** A bias [size], zeros. */
  bias(name: string, size: number): tf.Variable<tf.Rank.R1>;
}

/**
 * Starts the variables of a new `family` instance whose initial weights
 * come from `seed` (the run's seed).
 */
export function createLayerVariables(family: string, seed: number): LayerVariables {
  const scope = createModelVariables(family);
  const initSeed = deriveSeed(seed, 'init');

  return {
    ...scope,
    kernel: (name, shape) =>
      scope.add(
        name,
        glorotUniformKernel(shape, deriveSeed(initSeed, name)),
        shape,
      ) as tf.Variable<tf.Rank.R4>,
    matrix: (name, shape) =>
      scope.add(
        name,
        glorotUniformMatrix(shape, deriveSeed(initSeed, name)),
        shape,
      ) as tf.Variable<tf.Rank.R2>,
    bias: (name, size) =>
      scope.add(name, new Float32Array(size), [size]) as tf.Variable<tf.Rank.R1>,
  };
}

/** Frees every variable of a model instance. */
export function disposeVariables(variables: readonly tf.Variable[]): void {
  for (const variable of variables) variable.dispose();
}
