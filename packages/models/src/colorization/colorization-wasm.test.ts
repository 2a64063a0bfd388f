import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';

import { createRandom } from '@hourglass/common';
import type { ColorizationSpec } from '@hourglass/specs';

import {
  assertWasmMatchesCpu,
  prepareBackends,
  trainOnFixedBatch,
} from '../testing/model-test-support.ts';

import { computeAbBins } from './ab-bins.ts';
import { computeRebalancingWeights, countAbBins } from './class-rebalancing.ts';
import { createColorizationModel } from './colorization-model.ts';

const SPEC: ColorizationSpec = {
  family: 'colorization',
  channels: 4,
  kernelSize: 3,
  gridSize: 10,
  binSet: 'zhang-2016',
  softEncodingNeighbors: 5,
  softEncodingSigma: 5,
  rebalancingSigma: 5,
  rebalancingLambda: 0.5,
  temperature: 0.38,
};

/**
 * Images of flat 4x4 tiles of random colours, [n, size, size, 3] as
 * pixels: each output pixel of the model has one true colour, and
 * neighbouring ones differ.
 */
function createTiledImages(n: number, size: number, seed: number): Float32Array {
  const random = createRandom(seed);
  const tiles = size / 4;
  const colors = Array.from({ length: n * tiles * tiles * 3 }, () => random());
  const pixels = new Float32Array(n * size * size * 3);
  for (let i = 0; i < n; i += 1) {
    for (let y = 0; y < size; y += 1) {
      for (let x = 0; x < size; x += 1) {
        const tile = (i * tiles + Math.floor(y / 4)) * tiles + Math.floor(x / 4);
        for (let c = 0; c < 3; c += 1) {
          pixels[((i * size + y) * size + x) * 3 + c] = colors[tile * 3 + c]!;
        }
      }
    }
  }
  return pixels;
}

describe('colorization model on wasm', () => {
  const bins = computeAbBins(SPEC.gridSize, SPEC.binSet);
  const pixels = createTiledImages(4, 16, 1);
  const rebalancingWeights = computeRebalancingWeights(
    countAbBins(pixels, bins),
    bins,
  );

  before(async () => {
    await prepareBackends('cpu');
  });

  after(async () => {
    await tf.setBackend('cpu');
  });

  it('gives the cpu backend\'s colorization, loss and gradients on [2, 16, 16, 3]', async () => {
    const model = createColorizationModel(SPEC, { seed: 3, rebalancingWeights });
    const x = tf.tensor4d(createTiledImages(2, 16, 2), [2, 16, 16, 3]);

    await assertWasmMatchesCpu(model, x);

    x.dispose();
    model.dispose();
  });

  it('lowers the loss on a fixed batch over 40 Adam steps on wasm', async () => {
    await tf.setBackend('wasm');
    const model = createColorizationModel(
      { ...SPEC, channels: 8 },
      { seed: 6, rebalancingWeights },
    );
    const x = tf.tensor4d(pixels, [4, 16, 16, 3]);

    const { initial, final } = trainOnFixedBatch(model, x, {
      steps: 40,
      learningRate: 0.01,
    });

    assert.ok(final < 0.6 * initial, `loss went from ${initial} to ${final}`);
    x.dispose();
    model.dispose();
  });
});
