import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DataFormatError, ValidationError } from '@hourglass/common';
import { ImageFolderDatasetSpec } from '@hourglass/specs';

import { computeChannelStatistics } from './channel-statistics.ts';
import { writeCifar10Folder } from './cifar10-fixture.ts';
import { CIFAR10_META_FILE, CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES } from './cifar10-reader.ts';
import { CIFAR10_DIR_ENV } from './cifar10-dir.ts';
import { createGeneratedDataset } from './generated-dataset.ts';
import { loadDataset } from './load-dataset.ts';
import { createTarGz } from './tar-fixture.ts';

describe('loadDataset', () => {
  let root: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'hourglass-load-dataset-'));
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('makes the generated dataset from the spec, with its channel statistics', async () => {
    const spec = { kind: 'generated', seed: 9, trainSize: 20, testSize: 10 } as const;

    const dataset = await loadDataset(spec);

    const made = createGeneratedDataset(spec);
    assert.deepEqual(dataset, { ...made, normalization: computeChannelStatistics(made.train) });
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

  it('carves a seeded validation split out of the CIFAR-10 training set', async () => {
    const dir = join(root, 'split');
    await writeCifar10Folder(dir);
    const spec = { kind: 'cifar10', path: dir, validationSize: 4, splitSeed: 2 } as const;

    const dataset = await loadDataset(spec, { env: {} });
    const again = await loadDataset(spec, { env: {} });

    assert.equal(dataset.train.count, 11);
    assert.equal(dataset.validation?.count, 4);
    assert.deepEqual(dataset.validation, again.validation);
    assert.deepEqual(dataset.normalization, computeChannelStatistics(dataset.train));
  });

  it('downloads CIFAR-10 into the spec path when the spec asks', async () => {
    const source = join(root, 'download-source');
    await writeCifar10Folder(source);
    const names = [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE, CIFAR10_META_FILE];
    const archive = createTarGz(
      await Promise.all(
        names.map(async (name) => ({
          name: `cifar-10-batches-bin/${name}`,
          data: await readFile(join(source, name)),
        })),
      ),
    );
    const server = createServer((_, response) => response.end(archive));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    try {
      const dir = join(root, 'downloaded');
      const dataset = await loadDataset(
        { kind: 'cifar10', path: dir, download: true },
        {
          env: {},
          download: {
            url: `http://127.0.0.1:${port}/c.tar.gz`,
            sha256: createHash('sha256').update(archive).digest('hex'),
          },
        },
      );

      assert.equal(dataset.train.count, 15);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses an image-folder spec, which must be streamed', async () => {
    const spec = ImageFolderDatasetSpec.parse({ kind: 'image-folder', path: root });

    await assert.rejects(loadDataset(spec), (error: unknown) => {
      return error instanceof ValidationError && /openDataset/.test(error.message);
    });
  });

  it('fails with a DataFormatError when no CIFAR-10 folder is found', async () => {
    await assert.rejects(
      loadDataset({ kind: 'cifar10' }, { env: {}, cwd: root }),
      DataFormatError,
    );
  });
});
