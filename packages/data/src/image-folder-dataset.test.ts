import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DataFormatError } from '@hourglass/common';

import { BatchSource } from './batch-source.ts';
import { openImageFolder } from './image-folder-dataset.ts';
import { gradientImage, writeImageFolder } from './image-folder-fixture.ts';
import type { BadImageReport } from './image-folder-source.ts';

describe('openImageFolder', () => {
  let root: string;
  let folder: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'hourglass-image-folder-'));
    folder = join(root, 'train');
    // Three classes of four images each; sizes differ, and PNG and JPEG mix.
    const images = ['cat', 'dog', 'emu'].flatMap((className, c) => {
      return [0, 1, 2, 3].map((i) => {
        const name = `${i}.${i % 2 === 0 ? 'png' : 'jpg'}`;
        return gradientImage(className, name, 12 + 4 * i, 12 + 2 * c, c * 40 + i);
      });
    });
    await writeImageFolder(folder, images);
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('decodes, resizes and center-crops each image to the asked size', async () => {
    // A 16 x 16 PNG drawn as (x * 7 + seed, y * 5 + seed, seed * 3).
    const only = join(root, 'single');
    await writeImageFolder(only, [gradientImage('a', 'x.png', 16, 16, 9)]);
    const dataset = await openImageFolder({ path: only, imageSize: 8, augment: false });

    const batch = await dataset.train.readBatch(Uint32Array.of(0), 0);

    assert.deepEqual(batch.shape, [1, 8, 8, 3]);
    // Halving averages x 0 and 1: red (0 + 7) / 2 + 9 = 12.5.
    assert.ok(Math.abs(batch.pixels[0]! * 255 - 12.5) < 1e-3);
    assert.ok(Math.abs(batch.pixels[3 * 7]! * 255 - (7 * 7 * 2 + 3.5 + 9)) < 1e-3);
    assert.ok(Math.abs(batch.pixels[2]! * 255 - 27) < 1e-3);
  });

  it('labels images by their sorted class folder', async () => {
    const dataset = await openImageFolder({ path: folder, imageSize: 8 });

    const batch = await dataset.train.readBatch(Uint32Array.of(0, 4, 11), 0);

    assert.deepEqual(dataset.classNames, ['cat', 'dog', 'emu']);
    assert.deepEqual([...batch.labels], [0, 1, 2]);
    assert.equal(dataset.train.count, 12);
  });

  it('augments with a seeded random crop and flip: same seed, same pixels', async () => {
    const dataset = await openImageFolder({ path: folder, imageSize: 8, resizeRatio: 1.5 });
    const indices = Uint32Array.of(0, 1, 2, 3, 4, 5);

    const a = await dataset.train.readBatch(indices, 1);
    const b = await dataset.train.readBatch(indices, 1);
    const c = await dataset.train.readBatch(indices, 2);

    assert.deepEqual(a.pixels, b.pixels);
    assert.notDeepEqual(a.pixels, c.pixels);
  });

  it('sets aside a share of every class for validation, without augmentation', async () => {
    const dataset = await openImageFolder({
      path: folder,
      imageSize: 8,
      validationFraction: 0.25,
      splitSeed: 3,
    });

    assert.equal(dataset.train.count, 9);
    assert.equal(dataset.validation?.count, 3);
    const batch = await dataset.validation!.readBatch(Uint32Array.of(0, 1, 2), 0);
    assert.deepEqual([...batch.labels], [0, 1, 2]);
    const again = await dataset.validation!.readBatch(Uint32Array.of(0, 1, 2), 99);
    assert.deepEqual(again.pixels, batch.pixels);
  });

  it('reads a test folder against the training classes', async () => {
    const testFolder = join(root, 'test');
    await writeImageFolder(testFolder, [gradientImage('emu', 'z.png', 10, 10, 1)]);

    const dataset = await openImageFolder({ path: folder, testPath: testFolder, imageSize: 8 });

    assert.equal(dataset.test?.count, 1);
    assert.deepEqual([...(await dataset.test!.readBatch(Uint32Array.of(0), 0)).labels], [2]);
  });

  it('streams batches through a BatchSource with a bounded read-ahead', async () => {
    const dataset = await openImageFolder({ path: folder, imageSize: 8, readAheadBatches: 2 });
    const source = new BatchSource({ source: dataset.train, batchSize: 4, seed: 0 });

    const labels = new Set<number>();
    for (let i = 0; i < 6; i += 1) {
      const batch = await source.nextBatch();
      assert.deepEqual(batch.shape, [4, 8, 8, 3]);
      batch.labels.forEach((label) => labels.add(label));
    }
    assert.deepEqual([...labels].sort(), [0, 1, 2]);
    assert.deepEqual(source.position, { epoch: 2, batchInEpoch: 0 });
    await source.close();
  });

  describe('with an image that will not decode', () => {
    let broken: string;

    before(async () => {
      broken = join(root, 'broken');
      await writeImageFolder(broken, [
        gradientImage('a', '0.png', 8, 8, 1),
        gradientImage('a', '1.png', 8, 8, 2),
        gradientImage('b', '2.png', 8, 8, 3),
      ]);
      await writeFile(join(broken, 'a', '1.png'), 'not a png at all');
    });

    it('skips it, names it once, and fills the slot with the next good image', async () => {
      const reports: BadImageReport[] = [];
      const dataset = await openImageFolder({
        path: broken,
        imageSize: 8,
        augment: false,
        reportBadImage: (report) => reports.push(report),
      });

      const first = await dataset.train.readBatch(Uint32Array.of(1, 0), 0);
      const second = await dataset.train.readBatch(Uint32Array.of(1), 0);

      assert.equal(reports.length, 1);
      assert.equal(reports[0]!.file, join(broken, 'a', '1.png'));
      assert.equal(reports[0]!.action, 'skipped');
      // Member 1 is replaced by member 2 (class b), in both batches.
      assert.deepEqual([...first.labels], [1, 0]);
      assert.deepEqual([...second.labels], [1]);
      assert.deepEqual(second.pixels, first.pixels.subarray(0, second.pixels.length));
    });

    it('fails the read with a DataFormatError naming the file when asked to', async () => {
      const dataset = await openImageFolder({
        path: broken,
        imageSize: 8,
        onBadImage: 'fail',
        reportBadImage: () => undefined,
      });

      await assert.rejects(dataset.train.readBatch(Uint32Array.of(0, 1, 2), 0), (error) => {
        assert.ok(error instanceof DataFormatError);
        assert.equal(error.file, join(broken, 'a', '1.png'));
        return true;
      });
    });

    it('fails a BatchSource through nextBatch, not as an unhandled rejection', async () => {
      const dataset = await openImageFolder({
        path: broken,
        imageSize: 8,
        onBadImage: 'fail',
        reportBadImage: () => undefined,
      });
      const source = new BatchSource({ source: dataset.train, batchSize: 3, seed: 0 });

      await new Promise((resolve) => setTimeout(resolve, 50));
      await assert.rejects(source.nextBatch(), DataFormatError);
      await source.close();
    });
  });
});
