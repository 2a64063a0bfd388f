import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DataFormatError } from '@hourglass/common';

import { extractTarGz } from './tar-extract.ts';
import { createTarGz } from './tar-fixture.ts';

describe('extractTarGz', () => {
  let root: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'hourglass-tar-'));
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes only the members the caller maps to a path', async () => {
    const archive = join(root, 'a.tar.gz');
    const big = new Uint8Array(70_000).map((_, i) => i % 251);
    await writeFile(
      archive,
      createTarGz([
        { name: 'top/', type: '5' },
        { name: 'top/wanted.bin', data: big },
        { name: 'top/other.txt', data: Buffer.from('no') },
        { name: '../escape.txt', data: Buffer.from('no') },
      ]),
    );
    const out = join(root, 'out');
    await mkdir(out);

    const written = await extractTarGz(archive, (name) => {
      return name === 'top/wanted.bin' ? join(out, 'wanted.bin') : undefined;
    });

    assert.deepEqual(written, ['top/wanted.bin']);
    assert.deepEqual(await readdir(out), ['wanted.bin']);
    assert.deepEqual(new Uint8Array(await readFile(join(out, 'wanted.bin'))), big);
  });

  it('rejects a truncated archive with a DataFormatError naming it', async () => {
    const archive = join(root, 'short.tar.gz');
    const whole = createTarGz([{ name: 'x.bin', data: new Uint8Array(5000) }]);
    await writeFile(archive, whole.subarray(0, whole.length - 12));

    await assert.rejects(extractTarGz(archive, () => join(root, 'x.bin')), (error) => {
      assert.ok(error instanceof DataFormatError);
      assert.equal(error.file, archive);
      return true;
    });
  });

  it('rejects a file that is not gzip at all', async () => {
    const archive = join(root, 'plain.tar.gz');
    await writeFile(archive, 'just text, not an archive');

    await assert.rejects(extractTarGz(archive, () => undefined), DataFormatError);
  });
});
