import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DataFormatError } from '@hourglass/common';

import { scanImageFolder } from './image-folder-scan.ts';

describe('scanImageFolder', () => {
  let root: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'hourglass-scan-'));
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function touch(...parts: string[]): Promise<void> {
    await mkdir(join(root, ...parts.slice(0, -1)), { recursive: true });
    await writeFile(join(root, ...parts), '');
  }

  it('numbers classes by sorted folder name and lists images sorted, ignoring others', async () => {
    await touch('ok', 'zebra', 'b.JPG');
    await touch('ok', 'zebra', 'a.png');
    await touch('ok', 'ant', 'x.jpeg');
    await touch('ok', 'ant', 'notes.txt');
    await touch('ok', '.cache', 'y.png');
    await touch('ok', 'loose.png');

    const index = await scanImageFolder(join(root, 'ok'));

    assert.deepEqual(index.classNames, ['ant', 'zebra']);
    assert.deepEqual(index.files, ['ant/x.jpeg', 'zebra/a.png', 'zebra/b.JPG']);
    assert.deepEqual([...index.labels], [0, 1, 1]);
  });

  it('labels a test folder by the training folder\'s classes', async () => {
    await touch('test', 'zebra', 'c.png');

    const index = await scanImageFolder(join(root, 'test'), ['ant', 'zebra']);

    assert.deepEqual(index.classNames, ['ant', 'zebra']);
    assert.deepEqual([...index.labels], [1]);
  });

  it('names an empty class folder', async () => {
    await touch('empty-class', 'cat', 'a.png');
    await mkdir(join(root, 'empty-class', 'dog'));

    await assert.rejects(scanImageFolder(join(root, 'empty-class')), (error: unknown) => {
      assert.ok(error instanceof DataFormatError);
      assert.equal(error.file, join(root, 'empty-class', 'dog'));
      assert.match(error.message, /holds no images/);
      return true;
    });
  });

  it('rejects a root with no class folders', async () => {
    await touch('flat', 'a.png');

    await assert.rejects(scanImageFolder(join(root, 'flat')), /no class folders/);
  });

  it('rejects a root that does not exist', async () => {
    await assert.rejects(scanImageFolder(join(root, 'absent')), (error: unknown) => {
      return error instanceof DataFormatError && /not found/.test(error.message);
    });
  });
});
