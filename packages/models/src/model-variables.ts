/**
 * Creating a model's variables under a per-instance scope. TensorFlow.js
 * keeps one global registry of variable names, so two live models cannot
 * both own 'encoder/conv/kernel'; each instance prefixes its variables,
 * and keeps the unprefixed name as the stable key checkpoints use.
 */
import * as tf from '@tensorflow/tfjs-core';

let instanceCount = 0;

/** Variables of one model instance, created in a fixed order. */
export interface ModelVariables {
  /** The variables, in creation order. */
  readonly variables: tf.Variable[];
  /** Their stable names ('encoder/conv/kernel'), in the same order. */
  readonly names: string[];
  /** Creates a trainable variable named `name` holding `values`. */
  add(
    name: string,
    values: Float32Array,
    shape: readonly number[],
  ): tf.Variable;
}

/** Starts the variable list of a new model instance of `family`. */
export function createModelVariables(family: string): ModelVariables {
  instanceCount += 1;
  const scope = `${family}-${instanceCount}`;
  const variables: tf.Variable[] = [];
  const names: string[] = [];

  return {
    variables,
    names,
    add(name, values, shape) {
      const initial = tf.tensor(values, [...shape], 'float32');
      const variable = tf.variable(initial, true, `${scope}/${name}`);
      initial.dispose();
      variables.push(variable);
      names.push(name);
      return variable;
    },
  };
}
