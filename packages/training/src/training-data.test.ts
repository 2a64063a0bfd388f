import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { openDataset, toStreamingDataset, type ImageSource } from '@hourglass/data';
import { DatasetSpec } from '@hourglass/specs';

import {
  createScratchDir,
  createTinyDataset,
  writeTinyImageFolder,
} from './test-support.ts';
import { readHeldOutBatches, readTrainingSample, toRunDataset } from './training-data.ts';

describe('training data', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDir>>;
  let folder: string;

  before(async () => {
    scratch = await createScratchDir();
    folder = join(scratch.path, 'folder');
    await writeTinyImageFolder(folder);
  });

  after(async () => {
    await scratch.remove();
  });

  it('hands an in-memory split its own pixels for the model context', async () => {
    const dataset = createTinyDataset();

    const sample = await readTrainingSample(toRunDataset(dataset).train, 1);

    assert.equal(sample, dataset.train.images);
  });

  it('samples a streamed split the same way for the same seed', async () => {
    const spec = DatasetSpec.parse({ kind: 'image-folder', path: folder });
    const dataset = await openDataset(spec, { imageSize: 8 });

    const first = await readTrainingSample(dataset.train, 5);
    const second = await readTrainingSample(dataset.train, 5);

    assert.equal(first.length, 24 * 8 * 8 * 3);
    assert.deepEqual(first, second);
  });

  it('reads the first count held-out images in order, in batches', async () => {
    const dataset = toStreamingDataset(createTinyDataset());
    const test: ImageSource = dataset.test!;

    const batches = [];
    for await (const { batch, size } of readHeldOutBatches(test, 7, 3)) {
      batches.push({ labels: [...batch.labels], size });
    }

    const expected = await test.readBatch(Uint32Array.of(0, 1, 2, 3, 4, 5, 6), 0);
    assert.deepEqual(
      batches.map((batch) => batch.size),
      [3, 3, 1],
    );
    assert.deepEqual(
      batches.flatMap((batch) => batch.labels),
      [...expected.labels],
    );
  });
});
