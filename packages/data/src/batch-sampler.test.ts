import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ValidationError, deriveSeed, permutation } from '@hourglass/common';

import { BatchSampler, createBatchSampler, type BatchPosition } from './batch-sampler.ts';

function take(sampler: BatchSampler, batches: number): number[][] {
  return Array.from({ length: batches }, () => [...sampler.nextBatch()]);
}

describe('BatchSampler', () => {
  it('cuts each epoch permutation into whole batches and drops the rest', () => {
    const sampler = createBatchSampler({ count: 10, batchSize: 4, seed: 3 });

    assert.equal(sampler.batchesPerEpoch, 2);
    for (let epoch = 0; epoch < 3; epoch += 1) {
      const order = [...permutation(10, deriveSeed(3, `epoch:${epoch}`))];
      assert.deepEqual(sampler.position, { epoch, batchInEpoch: 0 });
      assert.deepEqual(take(sampler, 2), [order.slice(0, 4), order.slice(4, 8)]);
    }
  });

  it('never puts images of two epochs in one batch', () => {
    const sampler = new BatchSampler({ count: 7, batchSize: 3, seed: 11 });

    for (let epoch = 0; epoch < 5; epoch += 1) {
      const seen = take(sampler, sampler.batchesPerEpoch).flat();
      assert.equal(seen.length, 6);
      assert.equal(new Set(seen).size, 6, `epoch ${epoch} repeats no image`);
      assert.deepEqual(sampler.position, { epoch: epoch + 1, batchInEpoch: 0 });
    }
  });

  it('shuffles each epoch differently', () => {
    const sampler = createBatchSampler({ count: 50, batchSize: 50, seed: 0 });

    const [first, second] = take(sampler, 2);

    assert.notDeepEqual(first, second);
    assert.deepEqual([...first!].sort((a, b) => a - b), [...second!].sort((a, b) => a - b));
  });

  it('gives the same batches for the same seed and others for another', () => {
    const options = { count: 100, batchSize: 8 };

    const a = take(createBatchSampler({ ...options, seed: 5 }), 30);
    const b = take(createBatchSampler({ ...options, seed: 5 }), 30);
    const c = take(createBatchSampler({ ...options, seed: 6 }), 30);

    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('resumes from any saved position exactly as if never interrupted', () => {
    const options = { count: 23, batchSize: 5, seed: 42 };
    const uninterrupted = createBatchSampler(options);
    const positions: BatchPosition[] = [];
    const batches: number[][] = [];
    for (let step = 0; step < 25; step += 1) {
      positions.push(uninterrupted.position);
      batches.push([...uninterrupted.nextBatch()]);
    }

    for (let step = 0; step < 25; step += 1) {
      // Round-trip through JSON as a checkpoint would.
      const position = JSON.parse(JSON.stringify(positions[step])) as BatchPosition;
      const resumed = createBatchSampler({ ...options, position });
      assert.deepEqual(take(resumed, 25 - step), batches.slice(step), `resumed at ${step}`);
    }
  });

  it('allows one batch of every image per epoch', () => {
    const sampler = createBatchSampler({ count: 4, batchSize: 4, seed: 1 });

    assert.deepEqual([...sampler.nextBatch()].sort(), [0, 1, 2, 3]);
    assert.deepEqual(sampler.position, { epoch: 1, batchInEpoch: 0 });
  });

  it('rejects a batch larger than the images', () => {
    assert.throws(
      () => createBatchSampler({ count: 10, batchSize: 11, seed: 0 }),
      (error: unknown) => error instanceof ValidationError && /batchSize/.test(error.message),
    );
  });

  it('rejects sizes that are not positive integers', () => {
    assert.throws(() => createBatchSampler({ count: 0, batchSize: 1, seed: 0 }), ValidationError);
    assert.throws(
      () => createBatchSampler({ count: 10, batchSize: 2.5, seed: 0 }),
      ValidationError,
    );
  });

  it('rejects a position outside the epoch', () => {
    const options = { count: 10, batchSize: 4, seed: 0 };

    assert.throws(
      () => createBatchSampler({ ...options, position: { epoch: 0, batchInEpoch: 2 } }),
      (error: unknown) => error instanceof ValidationError && /0\.\.1, got 2/.test(error.message),
    );
    assert.throws(
      () => createBatchSampler({ ...options, position: { epoch: -1, batchInEpoch: 0 } }),
      ValidationError,
    );
  });

  it('returns a position copy that later batches do not change', () => {
    const sampler = createBatchSampler({ count: 10, batchSize: 2, seed: 0 });

    const saved = sampler.position;
    sampler.nextBatch();

    assert.deepEqual(saved, { epoch: 0, batchInEpoch: 0 });
    assert.deepEqual(sampler.position, { epoch: 0, batchInEpoch: 1 });
  });
});
