import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DataFormatError } from '@hourglass/common';

import { hvmMeanValue, hvmTrialValue, writeHvmFile } from './hvm-fixture.ts';
import { readHvmHdf5 } from './hvm-reader.ts';

describe('readHvmHdf5', () => {
  let root: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'hourglass-hvm-'));
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads stimuli, labels, properties and both areas with their trials', async () => {
    const path = join(root, 'ventral_neural_data.hdf5');
    const written = await writeHvmFile(path);

    const data = await readHvmHdf5(path);

    assert.equal(data.name, 'ventral_neural_data');
    assert.deepEqual([data.count, data.height, data.width, data.channels], [8, 4, 4, 1]);
    assert.deepEqual(data.images, written.images);
    assert.deepEqual(data.meta.variationLevel, written.levels);
    assert.equal(data.meta.category[1], 'Boats');
    assert.equal(data.meta.objectName[7], 'object7');
    assert.deepEqual(Object.keys(data.meta.properties).sort(), ['rotation_xy', 'size']);
    assert.equal(data.meta.properties.size![3], 1.5);

    const inferotemporal = data.areas.IT!;
    assert.deepEqual([...inferotemporal.siteIndices], [1, 3, 5]);
    assert.equal(inferotemporal.siteCount, 3);
    // Image 2, IT site 1 (file site 3).
    assert.ok(Math.abs(inferotemporal.mean[2 * 3 + 1]! - hvmMeanValue(2, 3)) < 1e-5);
    assert.equal(inferotemporal.maxRepetitions, 4);
    const level = written.levels[5]!;
    const trialCount = written.trials[['V0', 'V3', 'V6'].indexOf(level)]!;
    assert.equal(inferotemporal.repetitions![5], trialCount);
    for (let t = 0; t < 4; t += 1) {
      const value = inferotemporal.trials![(5 * 3 + 2) * 4 + t]!;
      if (t < trialCount) assert.equal(value, hvmTrialValue(5, 5, t));
      else assert.ok(Number.isNaN(value));
    }
    assert.deepEqual([...data.areas.V4!.siteIndices], [0, 2, 4]);
  });

  it('names the file and the dataset path when a dataset is missing', async () => {
    const path = join(root, 'no-it.hdf5');
    await writeHvmFile(path, { omit: ['neural_meta/IT_NEURONS'] });

    await assert.rejects(readHvmHdf5(path), (error: unknown) => {
      assert.ok(error instanceof DataFormatError);
      assert.equal(error.file, path);
      assert.match(error.message, /"neural_meta\/IT_NEURONS": missing dataset/);
      return true;
    });
  });

  it('says expected and found when responses cover another number of images', async () => {
    const path = join(root, 'short-responses.hdf5');
    await writeHvmFile(path, {
      override: {
        time_averaged_trial_averaged: { data: new Float32Array(7 * 6), shape: [7, 6] },
      },
    });

    await assert.rejects(
      readHvmHdf5(path),
      /"time_averaged_trial_averaged": expected shape \[8, \*\], found \[7, 6\]/,
    );
  });

  it('rejects images that are not uint8', async () => {
    const path = join(root, 'float-images.hdf5');
    await writeHvmFile(path, {
      override: { images: { data: new Float32Array(8 * 16), shape: [8, 4, 4] } },
    });

    await assert.rejects(readHvmHdf5(path), /"images": expected uint8 pixels/);
  });

  it('reads a file without single trials, leaving them out', async () => {
    const path = join(root, 'means-only.hdf5');
    await writeHvmFile(path, {
      omit: ['time_averaged', ...[0, 3, 6].map((k) => `time_averaged/variation_level_${k}`)],
    });

    const data = await readHvmHdf5(path);

    assert.equal(data.areas.V4!.trials, undefined);
    assert.equal(data.areas.V4!.maxRepetitions, 0);
  });

  it('rejects a file that is not HDF5', async () => {
    const path = join(root, 'text.hdf5');
    await writeFile(path, 'plain text');

    await assert.rejects(readHvmHdf5(path), DataFormatError);
  });
});
