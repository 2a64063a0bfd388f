import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DatasetSpec } from '@hourglass/specs';

import { BatchSource } from './batch-source.ts';
import { gatherBatch } from './gather-batch.ts';
import { createGeneratedDataset } from './generated-dataset.ts';
import { gradientImage, writeImageFolder } from './image-folder-fixture.ts';
import { openDataset } from './open-dataset.ts';

describe('openDataset', () => {
  let root: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'hourglass-open-dataset-'));
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('wraps an in-memory dataset so its batches are the ones gatherBatch gives', async () => {
    const spec = { kind: 'generated', seed: 1, trainSize: 12, testSize: 4 } as const;

    const dataset = await openDataset(spec, { imageSize: 8 });

    const made = createGeneratedDataset({ ...spec, imageSize: 8 });
    const indices = Uint32Array.of(3, 1, 4);
    assert.deepEqual(await dataset.train.readBatch(indices, 0), gatherBatch(made.train, indices));
    assert.equal(dataset.test?.count, 4);
    assert.equal(dataset.normalization?.mean.length, 3);
  });

  it('opens an image folder from a parsed spec, relative to cwd, at the run size', async () => {
    await writeImageFolder(join(root, 'pics'), [
      gradientImage('a', '0.png', 20, 16, 1),
      gradientImage('a', '1.png', 20, 16, 2),
      gradientImage('b', '2.jpg', 16, 20, 3),
      gradientImage('b', '3.jpg', 16, 20, 4),
    ]);
    const spec = DatasetSpec.parse({ kind: 'image-folder', path: 'pics', validationFraction: 0.5 });

    const dataset = await openDataset(spec, { imageSize: 12, cwd: root });
    const source = new BatchSource({ source: dataset.train, batchSize: 2, seed: 0 });
    const batch = await source.nextBatch();

    assert.deepEqual(dataset.classNames, ['a', 'b']);
    assert.equal(dataset.train.count, 2);
    assert.equal(dataset.validation?.count, 2);
    assert.deepEqual(batch.shape, [2, 12, 12, 3]);
    await source.close();
  });
});
