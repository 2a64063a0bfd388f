import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import sharp from 'sharp';

import { DataFormatError } from '@hourglass/common';

import { readNeuralFolder } from './neural-folder-reader.ts';
import { encodeNpy } from './npy-fixture.ts';

const COUNT = 3;

/** Writes a folder with COUNT grey 4x4 stimuli and one or two areas. */
async function writeFolder(
  dir: string,
  responses: Record<string, { data: Float32Array | Float64Array | Uint8Array; shape: number[] }>,
  areas = ['V4'],
): Promise<void> {
  await mkdir(join(dir, 'stimuli'), { recursive: true });
  await mkdir(join(dir, 'responses'), { recursive: true });
  const images = [];
  for (let i = 0; i < COUNT; i += 1) {
    const pixels = new Uint8Array(16).fill(10 * (i + 1));
    // sharp writes sRGB unless told otherwise; these stimuli are grey.
    await sharp(pixels, { raw: { width: 4, height: 4, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toFile(join(dir, 'stimuli', `${i}.png`));
    images.push({
      file: `stimuli/${i}.png`,
      category: i === 2 ? 'Boats' : 'Animals',
      object: `object${i}`,
      variationLevel: 'V0',
      properties: { size: i / 2 },
    });
  }
  await writeFile(join(dir, 'meta.json'), JSON.stringify({ areas, images }));
  for (const [name, array] of Object.entries(responses)) {
    await writeFile(join(dir, 'responses', name), encodeNpy(array.data, array.shape));
  }
}

describe('readNeuralFolder', () => {
  let root: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'hourglass-neural-folder-'));
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads stimuli, metadata and trials, averaging them over repetitions', async () => {
    const dir = join(root, 'ok');
    // 3 images x 2 sites x 2 repetitions; image 1 has one repetition.
    const trials = Float32Array.from([1, 3, 5, 7, 2, Number.NaN, 4, Number.NaN, 0, 0, 1, 1]);
    await writeFolder(dir, { 'V4.npy': { data: trials, shape: [3, 2, 2] } });

    const data = await readNeuralFolder(dir);

    assert.equal(data.name, 'ok');
    assert.deepEqual([data.count, data.height, data.width, data.channels], [3, 4, 4, 1]);
    assert.equal(data.images[16], 20);
    assert.deepEqual(data.meta.category, ['Animals', 'Animals', 'Boats']);
    assert.deepEqual([...data.meta.properties.size!], [0, 0.5, 1]);
    const v4 = data.areas.V4!;
    assert.deepEqual([...v4.mean], [2, 6, 2, 4, 0, 1]);
    assert.deepEqual([...v4.repetitions!], [2, 1, 2]);
    assert.equal(v4.maxRepetitions, 2);
  });

  it('takes given means when only those exist', async () => {
    const dir = join(root, 'means');
    const mean = Float64Array.from([1, 2, 3, 4, 5, 6]);
    await writeFolder(dir, { 'IT-mean.npy': { data: mean, shape: [3, 2] } }, ['IT']);

    const data = await readNeuralFolder(dir);

    assert.deepEqual([...data.areas.IT!.mean], [1, 2, 3, 4, 5, 6]);
    assert.equal(data.areas.IT!.trials, undefined);
  });

  it('says expected and found when responses cover another number of images', async () => {
    const dir = join(root, 'count');
    await writeFolder(dir, { 'V4.npy': { data: new Float32Array(8), shape: [2, 2, 2] } });

    await assert.rejects(readNeuralFolder(dir), (error: unknown) => {
      assert.ok(error instanceof DataFormatError);
      assert.equal(error.file, join(dir, 'responses', 'V4.npy'));
      assert.match(error.message, /expected responses to 3 images .*found 2/);
      return true;
    });
  });

  it('rejects uint8 responses and a wrong rank', async () => {
    const bytes = join(root, 'bytes');
    await writeFolder(bytes, { 'V4.npy': { data: new Uint8Array(12), shape: [3, 2, 2] } });
    const flat = join(root, 'flat');
    await writeFolder(flat, { 'V4.npy': { data: new Float32Array(6), shape: [3, 2] } });

    await assert.rejects(readNeuralFolder(bytes), /expected float32 or float64/);
    await assert.rejects(readNeuralFolder(flat), /expected images x sites x repetitions/);
  });

  it('names the area whose responses are missing', async () => {
    const dir = join(root, 'missing');
    await writeFolder(dir, {}, ['V4']);

    await assert.rejects(readNeuralFolder(dir), /area "V4" needs responses\/V4\.npy/);
  });

  it('names the fields of an invalid meta.json', async () => {
    const dir = join(root, 'bad-meta');
    await mkdir(dir);
    await writeFile(join(dir, 'meta.json'), JSON.stringify({ areas: [], images: [{}] }));

    await assert.rejects(readNeuralFolder(dir), (error: unknown) => {
      assert.ok(error instanceof DataFormatError);
      assert.match(error.message, /areas: /);
      assert.match(error.message, /images\.0\.file/);
      return true;
    });
  });
});
