/**
 * The optimizers a run spec can ask for, each able to take a new learning
 * rate before every step so that schedules work with tfjs's optimizers.
 */
import * as tf from '@tensorflow/tfjs-core';

import type { OptimizerSpec } from '@hourglass/specs';

/** A tfjs optimizer whose learning rate can change between steps. */
export type TrainingOptimizer = tf.Optimizer & {
  setLearningRate(learningRate: number): void;
};

// tfjs's Adam reads its rate on every step but offers no setter, as its
// SGD and momentum optimizers do; the field is protected, so a subclass
// is the supported way in.
class ScheduledAdamOptimizer extends tf.AdamOptimizer {
  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }
}

/**
 * Creates the optimizer of `spec`: Adam (Kingma and Ba 2015), or SGD,
 * with momentum (optionally Nesterov's) when `momentum` > 0.
 */
export function createTrainingOptimizer(spec: OptimizerSpec): TrainingOptimizer {
  switch (spec.kind) {
    case 'adam':
      return new ScheduledAdamOptimizer(
        spec.learningRate,
        spec.beta1,
        spec.beta2,
        spec.epsilon,
      );
    case 'sgd':
      if (spec.momentum === 0 && !spec.useNesterov) {
        return new tf.SGDOptimizer(spec.learningRate);
      }
      return new tf.MomentumOptimizer(
        spec.learningRate,
        spec.momentum,
        spec.useNesterov,
      );
  }
}
