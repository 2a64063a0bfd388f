import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

import { clipByGlobalNorm, computeGlobalNorm } from './clip-gradients.ts';

describe('clipByGlobalNorm', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('measures the norm of all gradients together: |(3, 4, 12)| = 13', () => {
    const gradients = [tf.tensor1d([3, 4]), tf.tensor2d([[12]])];
    const norm = computeGlobalNorm(gradients);

    assert.equal(norm.dataSync()[0], 13);
    tf.dispose([...gradients, norm]);
  });

  it('scales every gradient by limit / norm when the norm is over the limit', () => {
    const gradients = [tf.tensor1d([3, 4]), tf.tensor2d([[12]])];
    const clipped = clipByGlobalNorm(gradients, 6.5);

    assert.deepEqual(Array.from(clipped[0]!.dataSync()), [1.5, 2]);
    assert.deepEqual(Array.from(clipped[1]!.dataSync()), [6]);
    assert.deepEqual(clipped[1]!.shape, [1, 1]);
    tf.dispose([...gradients, ...clipped]);
  });

  it('leaves gradients within the limit as they are', () => {
    const gradients = [tf.tensor1d([3, 4])];
    const clipped = clipByGlobalNorm(gradients, 10);

    assert.deepEqual(Array.from(clipped[0]!.dataSync()), [3, 4]);
    tf.dispose([...gradients, ...clipped]);
  });
});
