import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';

import { DataFormatError, UnavailableError } from '@hourglass/common';

import {
  CIFAR10_DOWNLOAD_MANIFEST,
  CIFAR10_FILES,
  downloadCifar10,
  type DownloadProgress,
} from './cifar10-download.ts';
import { CIFAR10_CLASS_NAMES, encodeRecords, makeRecords } from './cifar10-fixture.ts';
import {
  CIFAR10_META_FILE,
  CIFAR10_TEST_FILE,
  CIFAR10_TRAIN_FILES,
  readCifar10,
} from './cifar10-reader.ts';
import { createTarGz } from './tar-fixture.ts';

/** What the test server does with the next request. */
type Behaviour = 'serve' | 'cut-short' | 'missing';

describe('downloadCifar10', () => {
  let root: string;
  let server: Server;
  let url: string;
  let archive: Buffer;
  let sha256: string;
  let requests: number;
  let behaviour: Behaviour;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'hourglass-download-'));

    // A tiny archive in the official layout: one record per training
    // batch, two in the test batch, plus a file a download must ignore.
    archive = createTarGz([
      { name: 'cifar-10-batches-bin/', type: '5' },
      ...CIFAR10_TRAIN_FILES.map((name, k) => ({
        name: `cifar-10-batches-bin/${name}`,
        data: encodeRecords(makeRecords(1, k)),
      })),
      {
        name: `cifar-10-batches-bin/${CIFAR10_TEST_FILE}`,
        data: encodeRecords(makeRecords(2, 9)),
      },
      {
        name: `cifar-10-batches-bin/${CIFAR10_META_FILE}`,
        data: Buffer.from(`${CIFAR10_CLASS_NAMES.join('\n')}\n`),
      },
      { name: 'cifar-10-batches-bin/readme.html', data: Buffer.from('<p>hi</p>') },
    ]);
    sha256 = createHash('sha256').update(archive).digest('hex');

    server = createServer((request, response) => {
      requests += 1;
      if (behaviour === 'missing') {
        response.writeHead(404).end('not here');
        return;
      }
      response.writeHead(200, { 'content-length': archive.length });
      if (behaviour === 'serve') {
        response.end(archive);
        return;
      }
      // Half the promised bytes, then the connection drops.
      response.write(archive.subarray(0, archive.length >> 1), () => {
        response.socket?.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cifar-10-binary.tar.gz`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(root, { recursive: true, force: true });
  });

  beforeEach(() => {
    requests = 0;
    behaviour = 'serve';
  });

  it('downloads, checks and unpacks the archive, reporting progress', async () => {
    const cacheDir = join(root, 'ok');
    const progress: DownloadProgress[] = [];

    const result = await downloadCifar10({
      url,
      cacheDir,
      sha256,
      onProgress: (p) => progress.push(p),
    });

    assert.deepEqual(result, { dir: cacheDir, isDownloaded: true });
    const files = await readdir(cacheDir);
    assert.deepEqual(files.sort(), [...CIFAR10_FILES, CIFAR10_DOWNLOAD_MANIFEST].sort());
    const dataset = await readCifar10(cacheDir);
    assert.equal(dataset.train.count, 5);
    assert.equal(dataset.test.count, 2);
    assert.deepEqual(progress.at(-1), {
      receivedBytes: archive.length,
      totalBytes: archive.length,
    });
    const received = progress.map((p) => p.receivedBytes);
    assert.deepEqual(received, [...received].sort((a, b) => a - b));
  });

  it('skips the download when the folder already holds it', async () => {
    const cacheDir = join(root, 'twice');
    await downloadCifar10({ url, cacheDir, sha256 });
    requests = 0;

    const result = await downloadCifar10({ url, cacheDir, sha256 });

    assert.equal(result.isDownloaded, false);
    assert.equal(requests, 0);
  });

  it('fails on a checksum mismatch and leaves nothing in the cache', async () => {
    const cacheDir = join(root, 'mismatch');

    await assert.rejects(
      downloadCifar10({ url, cacheDir, sha256: '0'.repeat(64) }),
      (error: unknown) => {
        assert.ok(error instanceof DataFormatError);
        assert.match(error.message, /sha256 mismatch: expected 0{64}, got [0-9a-f]{64}/);
        assert.match(error.message, new RegExp(sha256));
        return true;
      },
    );
    assert.deepEqual(await readdir(cacheDir).catch(() => []), []);
  });

  it('fails on a download cut short and leaves nothing in the cache', async () => {
    const cacheDir = join(root, 'short');
    behaviour = 'cut-short';

    await assert.rejects(downloadCifar10({ url, cacheDir, sha256 }), (error: unknown) => {
      assert.ok(error instanceof UnavailableError);
      assert.equal(error.isRetryable, true);
      assert.match(error.message, /broke off|ended after/);
      return true;
    });
    assert.deepEqual(await readdir(cacheDir).catch(() => []), []);
  });

  it('keeps files a user already had in the cache folder when it fails', async () => {
    const cacheDir = join(root, 'kept');
    await downloadCifar10({ url, cacheDir, sha256 });
    behaviour = 'missing';

    // Another checksum makes the folder stale, so a download is tried.
    await assert.rejects(
      downloadCifar10({ url, cacheDir, sha256: 'f'.repeat(64) }),
      (error: unknown) => error instanceof DataFormatError && /HTTP 404/.test(error.message),
    );
    const files = await readdir(cacheDir);
    assert.deepEqual(files.sort(), [...CIFAR10_FILES, CIFAR10_DOWNLOAD_MANIFEST].sort());
  });
});
