import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { compareLayers } from './layer-order.ts';

describe('compareLayers', () => {
  test('puts a pooled autoencoder\'s conv, activation and pool in input-to-output order', () => {
    const layers = ['encoder/pool', 'encoder/activation', 'encoder/conv'];

    assert.deepEqual(layers.sort(compareLayers), [
      'encoder/conv',
      'encoder/activation',
      'encoder/pool',
    ]);
  });

  test('compares layer numbers as numbers and puts the neural reference last', () => {
    const layers = ['fc6', '', 'conv10', 'conv2', 'encoder/stage2/conv', 'encoder/stage1/pool'];

    assert.deepEqual(layers.sort(compareLayers), [
      'conv2',
      'conv10',
      'encoder/stage1/pool',
      'encoder/stage2/conv',
      'fc6',
      '',
    ]);
  });
});
