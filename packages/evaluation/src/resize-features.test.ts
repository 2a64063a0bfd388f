import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';
import type { VisionModel } from '@hourglass/models';

import { extractFeatures } from './extract-features.ts';
import { planFeatureGrid, resizeActivation } from './resize-features.ts';
import { assertClose, useWasmBackend } from './test-support.ts';

describe('planFeatureGrid', () => {
  it('shrinks a 32 x 32 x 64 layer to about 9,000 values', () => {
    const [rows, columns] = planFeatureGrid(32, 32, 64);

    assert.deepEqual([rows, columns], [12, 12]);
    assert.ok(Math.abs(rows * columns * 64 - 9000) < 0.1 * 9000);
  });

  it('keeps a layer that is already small, and keeps the aspect ratio', () => {
    assert.deepEqual(planFeatureGrid(2, 2, 64), [2, 2]);
    assert.deepEqual(planFeatureGrid(16, 32, 8, 512), [6, 11]);
  });
});

describe('resizeActivation', () => {
  before(useWasmBackend);

  const ramp = (): tf.Tensor4D =>
    tf.tensor4d(Float32Array.from({ length: 16 }, (_, i) => i), [1, 4, 4, 1]);

  it('averages each 2 x 2 area with the average method', () => {
    const x = ramp();

    const features = resizeActivation(x, {
      targetDimensions: 4,
      method: 'average',
    });

    assert.deepEqual(features.shape, [1, 4]);
    assertClose(features.dataSync(), [2.5, 4.5, 10.5, 12.5], 1e-5);
    tf.dispose([x, features]);
  });

  it('samples area centres with bilinear halving, like averaging', () => {
    const x = ramp();

    const features = resizeActivation(x, { targetDimensions: 4 });

    assertClose(features.dataSync(), [2.5, 4.5, 10.5, 12.5], 1e-5);
    tf.dispose([x, features]);
  });

  it('averages uneven areas exactly (5 x 5 into 2 x 2 cells)', () => {
    const x = tf.tensor4d(
      Float32Array.from({ length: 25 }, (_, i) => i),
      [1, 5, 5, 1],
    );

    const features = resizeActivation(x, {
      targetDimensions: 4,
      method: 'average',
    });

    // Cells cover rows (and columns) 0..2 and 2..4; x = 5 row + column.
    assertClose(features.dataSync(), [6, 8, 16, 18], 1e-5);
    tf.dispose([x, features]);
  });

  it('flattens without resizing when the layer is small enough', () => {
    const x = tf.ones([3, 2, 2, 5]) as tf.Tensor4D;

    const features = resizeActivation(x);

    assert.deepEqual(features.shape, [3, 20]);
    tf.dispose([x, features]);
  });
});

describe('extractFeatures', () => {
  before(useWasmBackend);

  /** A stand-in model whose layers are its input and a pooled copy. */
  const model = {
    family: 'fake',
    variables: [],
    variableNames: [],
    encodingLayers: ['identity', 'pooled'],
    forward: (x: tf.Tensor4D) => ({
      output: x,
      layers: { identity: x, pooled: tf.avgPool(x, 2, 2, 'valid') },
    }),
    computeLoss: () => {
      throw new Error('not used');
    },
    firstLayerKernels: () => tf.zeros([1, 1, 3, 1]) as tf.Tensor4D,
    dispose: () => {},
  } as unknown as VisionModel;

  it('reads every encoding layer in batches, in image order', () => {
    const images = tf.tidy(() =>
      tf.reshape(tf.range(0, 5 * 4 * 4 * 3), [5, 4, 4, 3]).div(240),
    ) as tf.Tensor4D;
    const before = tf.memory().numTensors;

    const features = extractFeatures(model, images, { batchSize: 2 });

    assert.deepEqual(Object.keys(features), ['identity', 'pooled']);
    assert.deepEqual(features.identity?.shape, [5, 48]);
    assert.deepEqual(features.pooled?.shape, [5, 12]);
    assertClose(features.identity!.dataSync(), images.dataSync(), 1e-7);
    tf.dispose(Object.values(features));
    assert.equal(tf.memory().numTensors, before);
    images.dispose();
  });

  it('names the layers it has when asked for one it lacks', () => {
    const images = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;

    assert.throws(
      () => extractFeatures(model, images, { layers: ['conv9'] }),
      /no layer 'conv9'; it has identity, pooled/,
    );
    images.dispose();
  });
});
