import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createBatchSampler } from './batch-sampler.ts';
import { BatchSource, createBatchSource } from './batch-source.ts';
import { gatherBatch, type Batch } from './gather-batch.ts';
import { createGeneratedDataset } from './generated-dataset.ts';
import type { ImageSource } from './image-source.ts';

const { train } = createGeneratedDataset({ seed: 3, trainSize: 50, testSize: 5, imageSize: 8 });

/** A source that counts reads in flight and resolves them when told. */
function createSlowSource(count: number): ImageSource & {
  inFlight: number;
  maxInFlight: number;
  seeds: number[];
  failAt?: number;
} {
  const source = {
    count,
    height: 1,
    width: 1,
    channels: 3,
    readAheadBatches: 3,
    inFlight: 0,
    maxInFlight: 0,
    seeds: [] as number[],
    failAt: undefined as number | undefined,
    async readBatch(indices: Uint32Array, augmentSeed: number): Promise<Batch> {
      const call = source.seeds.push(augmentSeed) - 1;
      source.inFlight += 1;
      source.maxInFlight = Math.max(source.maxInFlight, source.inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      source.inFlight -= 1;
      if (call === source.failAt) throw new Error(`read ${call} failed`);
      return {
        pixels: new Float32Array(indices.length * 3),
        labels: Int32Array.from(indices),
        shape: [indices.length, 1, 1, 3],
      };
    },
  };
  return source;
}

describe('BatchSource', () => {
  it('yields the batches BatchSampler and gatherBatch give for an ImageSet', async () => {
    const source = createBatchSource({ source: train, batchSize: 8, seed: 5 });
    const sampler = createBatchSampler({ count: train.count, batchSize: 8, seed: 5 });

    for (let i = 0; i < 14; i += 1) {
      assert.deepEqual(await source.nextBatch(), gatherBatch(train, sampler.nextBatch()));
      assert.deepEqual(source.position, sampler.position);
    }
  });

  it('resumed at a saved position, continues with the same batches', async () => {
    const first = createBatchSource({ source: train, batchSize: 8, seed: 5 });
    for (let i = 0; i < 9; i += 1) await first.nextBatch();
    const position = first.position;

    const resumed = createBatchSource({ source: train, batchSize: 8, seed: 5, position });

    for (let i = 0; i < 5; i += 1) {
      assert.deepEqual(await resumed.nextBatch(), await first.nextBatch());
    }
  });

  it('reads at most readAheadBatches + 1 batches at once', async () => {
    const slow = createSlowSource(100);
    const source = new BatchSource({ source: slow, batchSize: 10, seed: 1 });

    for (let i = 0; i < 20; i += 1) await source.nextBatch();

    assert.equal(source.readAheadBatches, 3);
    assert.ok(slow.maxInFlight <= 4, `max in flight ${slow.maxInFlight}`);
    assert.ok(slow.maxInFlight >= 2, 'expected reads to overlap');
    await source.close();
  });

  it('reports position as where the next batch comes from, not how far it read ahead', async () => {
    const source = new BatchSource({ source: createSlowSource(30), batchSize: 10, seed: 1 });

    await source.nextBatch();

    assert.deepEqual(source.position, { epoch: 0, batchInEpoch: 1 });
    await source.nextBatch();
    await source.nextBatch();
    assert.deepEqual(source.position, { epoch: 1, batchInEpoch: 0 });
    await source.close();
  });

  it('gives each batch its own augmentation seed, the same on a rerun', async () => {
    const a = createSlowSource(40);
    const b = createSlowSource(40);
    const first = new BatchSource({ source: a, batchSize: 10, seed: 7 });
    const second = new BatchSource({ source: b, batchSize: 10, seed: 7 });

    for (let i = 0; i < 6; i += 1) {
      await first.nextBatch();
      await second.nextBatch();
    }

    assert.deepEqual(a.seeds.slice(0, 6), b.seeds.slice(0, 6));
    assert.equal(new Set(a.seeds).size, a.seeds.length);
    await Promise.all([first.close(), second.close()]);
  });

  it('hands a read-ahead failure to the nextBatch call that reaches it', async () => {
    const slow = createSlowSource(100);
    slow.failAt = 2;
    const source = new BatchSource({ source: slow, batchSize: 10, seed: 1 });

    // The failing read settles long before it is asked for; the process
    // must not see an unhandled rejection meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 30));
    await source.nextBatch();
    await source.nextBatch();
    await assert.rejects(source.nextBatch(), /read 2 failed/);
    await source.close();
  });

  it('refuses batches after close', async () => {
    const source = new BatchSource({ source: createSlowSource(30), batchSize: 10, seed: 1 });

    await source.close();

    await assert.rejects(source.nextBatch(), /after close/);
  });
});
