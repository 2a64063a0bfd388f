import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DataFormatError } from '@hourglass/common';

import { writeCifar10Folder } from './cifar10-fixture.ts';
import { CIFAR10_DIR_ENV } from './cifar10-dir.ts';
import { createGeneratedDataset } from './generated-dataset.ts';
import { loadDataset } from './load-dataset.ts';

describe('loadDataset', () => {
  let root: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'hourglass-load-dataset-'));
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('makes the generated dataset from the spec', async () => {
    const spec = { kind: 'generated', seed: 9, trainSize: 20, testSize: 10 } as const;

    const dataset = await loadDataset(spec);

    assert.deepEqual(dataset, createGeneratedDataset(spec));
  });

  it('passes the run image size to the generated dataset', async () => {
    const spec = { kind: 'generated', seed: 9, trainSize: 20, testSize: 10 } as const;

    const dataset = await loadDataset(spec, { imageSize: 12 });

    assert.equal(dataset.train.height, 12);
  });

  it('reads CIFAR-10 from the spec path', async () => {
    const dir = join(root, 'spec-path');
    await writeCifar10Folder(dir);

    const dataset = await loadDataset({ kind: 'cifar10', path: dir }, { env: {} });

    assert.equal(dataset.name, 'cifar10');
    assert.equal(dataset.train.count, 15);
  });

  it('reads CIFAR-10 from the environment when the spec has no path', async () => {
    const dir = join(root, 'env-path');
    await writeCifar10Folder(dir);

    const dataset = await loadDataset({ kind: 'cifar10' }, { env: { [CIFAR10_DIR_ENV]: dir } });

    assert.equal(dataset.test.count, 3);
  });

  it('fails with a DataFormatError when no CIFAR-10 folder is found', async () => {
    await assert.rejects(
      loadDataset({ kind: 'cifar10' }, { env: {}, cwd: root }),
      DataFormatError,
    );
  });
});
