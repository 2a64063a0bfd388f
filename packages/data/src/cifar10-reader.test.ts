import assert from 'node:assert/strict';
import { mkdtemp, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';

import { DataFormatError } from '@hourglass/common';

import {
  CIFAR10_CLASS_NAMES,
  encodeRecords,
  makeRecords,
  writeCifar10Folder,
  type Cifar10Fixture,
  type Cifar10Record,
} from './cifar10-fixture.ts';
import { CIFAR10_DIR_ENV } from './cifar10-dir.ts';
import { CIFAR10_RECORD_BYTES, readCifar10 } from './cifar10-reader.ts';

/** The HWC bytes of a record, converted the slow, obvious way. */
function toHwc(record: Cifar10Record): Uint8Array {
  const out = new Uint8Array(32 * 32 * 3);
  for (let y = 0; y < 32; y += 1) {
    for (let x = 0; x < 32; x += 1) {
      for (let c = 0; c < 3; c += 1) {
        out[(y * 32 + x) * 3 + c] = record.planes[c * 1024 + y * 32 + x]!;
      }
    }
  }
  return out;
}

/** Whether `error` is a DataFormatError about `file` mentioning `parts`. */
function isFormatError(file: string, ...parts: (string | number)[]) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof DataFormatError, `expected DataFormatError, got ${error}`);
    assert.equal(error.file, file);
    assert.ok(error.message.includes(file), `message names the file: ${error.message}`);
    for (const part of parts) {
      assert.ok(error.message.includes(String(part)), `"${error.message}" has "${part}"`);
    }
    return true;
  };
}

describe('readCifar10', () => {
  let root: string;
  let dir: string;
  let fixture: Cifar10Fixture;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'hourglass-cifar10-'));
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  beforeEach(async (context) => {
    // A fresh, valid folder per test, which the bad-input tests then break.
    dir = join(root, context.name.replace(/\W+/g, '-'));
    fixture = await writeCifar10Folder(dir);
  });

  it('reads the five train batches in order and the test batch', async () => {
    const dataset = await readCifar10(dir);

    assert.equal(dataset.name, 'cifar10');
    assert.deepEqual(dataset.classNames, CIFAR10_CLASS_NAMES);
    const train = fixture.train.flat();
    assert.equal(dataset.train.count, 15);
    assert.equal(dataset.test.count, 3);
    for (const set of [dataset.train, dataset.test]) {
      assert.deepEqual([set.height, set.width, set.channels], [32, 32, 3]);
      assert.equal(set.images.length, set.count * 3072);
    }
    assert.deepEqual([...dataset.train.labels], train.map((record) => record.label));
    assert.deepEqual([...dataset.test.labels], fixture.test.map((record) => record.label));
  });

  it('converts the channel planes to HWC pixels', async () => {
    const dataset = await readCifar10(dir);

    const train = fixture.train.flat();
    train.forEach((record, i) => {
      const image = dataset.train.images.subarray(i * 3072, (i + 1) * 3072);
      assert.deepEqual(image, toHwc(record), `train image ${i}`);
    });
    fixture.test.forEach((record, i) => {
      const image = dataset.test.images.subarray(i * 3072, (i + 1) * 3072);
      assert.deepEqual(image, toHwc(record), `test image ${i}`);
    });
  });

  it('puts a known pixel at row 2, column 5 with its R, G and B', async () => {
    const record = makeRecords(1, 7)[0]!;
    record.label = 9;
    record.planes.fill(0);
    const offset = 2 * 32 + 5;
    record.planes[offset] = 11;
    record.planes[1024 + offset] = 22;
    record.planes[2048 + offset] = 33;
    await writeFile(join(dir, 'test_batch.bin'), encodeRecords([record]));

    const { test } = await readCifar10(dir);

    assert.equal(test.count, 1);
    assert.equal(test.labels[0], 9);
    const at = (2 * 32 + 5) * 3;
    assert.deepEqual([...test.images.subarray(at, at + 3)], [11, 22, 33]);
    assert.equal(test.images.reduce((sum, byte) => sum + byte, 0), 66);
  });

  it('says which setting names the folder when it is missing', async () => {
    const missing = join(root, 'no-such-folder');

    await assert.rejects(readCifar10(missing), isFormatError(missing, CIFAR10_DIR_ENV, '"path"'));
  });

  it('names a missing batch file and the record size it expected', async () => {
    const file = join(dir, 'data_batch_3.bin');
    await unlink(file);

    await assert.rejects(readCifar10(dir), isFormatError(file, 'missing', CIFAR10_RECORD_BYTES));
  });

  it('names a missing test batch', async () => {
    const file = join(dir, 'test_batch.bin');
    await unlink(file);

    await assert.rejects(readCifar10(dir), isFormatError(file, 'missing'));
  });

  it('reports a truncated batch with the expected and found sizes', async () => {
    const file = join(dir, 'data_batch_2.bin');
    await truncate(file, 2 * 3073 - 100);

    await assert.rejects(
      readCifar10(dir),
      isFormatError(file, 'truncated', 3073, 6146, 'found 6046', '2973 bytes past'),
    );
  });

  it('reports a batch shorter than one record', async () => {
    const file = join(dir, 'test_batch.bin');
    await truncate(file, 0);

    await assert.rejects(readCifar10(dir), isFormatError(file, '3073', 'found 0 bytes'));
  });

  it('reports a label above 9 with its record index', async () => {
    const file = join(dir, 'data_batch_4.bin');
    const records = fixture.train[3]!;
    records[2]!.label = 12;
    await writeFile(file, encodeRecords(records));

    await assert.rejects(
      readCifar10(dir),
      isFormatError(file, 'record 2', `byte ${2 * 3073}`, '0..9', 'found 12'),
    );
  });

  it('reports a missing batches.meta.txt', async () => {
    const file = join(dir, 'batches.meta.txt');
    await unlink(file);

    await assert.rejects(readCifar10(dir), isFormatError(file, 'missing', '10 class names'));
  });

  it('reports a batches.meta.txt with fewer than 10 names', async () => {
    const file = join(dir, 'batches.meta.txt');
    await writeFile(file, CIFAR10_CLASS_NAMES.slice(0, 7).join('\n'));

    await assert.rejects(readCifar10(dir), isFormatError(file, 'expected 10', 'found 7'));
  });
});
