import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';
import { ValidationError, createRandom, normal } from '@hourglass/common';

import { evaluateTaskGeneralization } from './task-generalization.ts';
import type { StimulusMetadata } from './task-generalization.ts';
import {
  gaussianMatrix,
  gaussianValues,
  useWasmBackend,
} from './test-support.ts';

/** 3 categories x 3 objects x 12 images, two variation levels. */
function stimulusSet(): StimulusMetadata & { size: Float32Array } {
  const random = createRandom(1);
  const categories: string[] = [];
  const objects: string[] = [];
  const variations: string[] = [];
  const size = new Float32Array(108);
  for (let image = 0; image < 108; image += 1) {
    const object = Math.floor(image / 12);
    categories.push(['animals', 'boats', 'cars'][Math.floor(object / 3)]!);
    objects.push(`object-${object}`);
    variations.push(image % 2 === 0 ? 'V0' : 'V3');
    size[image] = normal(random);
  }
  return { categories, objects, variations, properties: { size }, size };
}

/** Features that encode object identity (hence category) and size. */
function informativeFeatures(size: Float32Array): tf.Tensor2D {
  return tf.tidy(() => {
    const objectCodes = tf.mul(gaussianMatrix(9, 40, 2), 2);
    const objectOf = Int32Array.from({ length: 108 }, (_, i) =>
      Math.floor(i / 12),
    );
    const sizeDirection = tf.tensor2d(gaussianValues(40, 3), [1, 40]);
    const noise = tf.mul(gaussianMatrix(108, 40, 4), 0.3);
    return tf.addN([
      tf.gather(objectCodes, objectOf),
      tf.mul(tf.tensor2d(size, [108, 1]), sizeDirection),
      noise,
    ]) as tf.Tensor2D;
  });
}

describe('evaluateTaskGeneralization', () => {
  before(useWasmBackend);

  const options = { folds: 4, classifier: { epochs: 30, batchSize: 32 } };

  it('reads category, object and size out of features that hold them', () => {
    const metadata = stimulusSet();
    const features = informativeFeatures(metadata.size);

    const result = evaluateTaskGeneralization(features, metadata, options);

    assert.ok(result.category.accuracy > 0.95, `${result.category.accuracy}`);
    assert.ok(Math.abs(result.category.chance - 1 / 3) < 1e-12);
    assert.deepEqual(Object.keys(result.category.byVariation), ['V0', 'V3']);
    assert.ok(result.objectIdentity.accuracy > 0.9);
    assert.deepEqual(Object.keys(result.objectIdentity.byCategory), [
      'animals',
      'boats',
      'cars',
    ]);
    assert.ok(result.properties.size!.correlation > 0.9);
    assert.ok(result.properties.size!.byVariation.V3! > 0.8);
    features.dispose();
  });

  it('stays near chance on features unrelated to the stimuli', () => {
    const metadata = stimulusSet();
    const features = gaussianMatrix(108, 40, 5);

    const result = evaluateTaskGeneralization(features, metadata, options);

    assert.ok(result.category.accuracy < 0.55, `${result.category.accuracy}`);
    assert.ok(result.objectIdentity.accuracy < 0.55);
    assert.ok(Math.abs(result.properties.size!.correlation) < 0.3);
    features.dispose();
  });

  it('refuses objects with fewer images than folds', () => {
    const features = gaussianMatrix(6, 3, 6);
    const metadata = {
      categories: ['a', 'a', 'a', 'b', 'b', 'b'],
      objects: ['x', 'x', 'y', 'y', 'z', 'z'],
    };

    assert.throws(
      () => evaluateTaskGeneralization(features, metadata, { folds: 3 }),
      (error: unknown) =>
        error instanceof ValidationError &&
        /object 'x' has 2 images/.test(error.message),
    );
    features.dispose();
  });
});
