import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DataFormatError } from '@hourglass/common';

import { CIFAR10_DIR_ENV, resolveCifar10Dir } from './cifar10-dir.ts';

describe('resolveCifar10Dir', () => {
  let cwd: string;

  before(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'hourglass-cifar10-dir-'));
  });

  after(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it('prefers the spec path over the environment', () => {
    const env = { [CIFAR10_DIR_ENV]: '/from/env' };

    assert.equal(resolveCifar10Dir('/from/spec', { env, cwd }), '/from/spec');
  });

  it('uses the environment variable when the spec has no path', () => {
    const env = { [CIFAR10_DIR_ENV]: '/from/env' };

    assert.equal(resolveCifar10Dir(undefined, { env, cwd }), '/from/env');
  });

  it('resolves a relative path against the current folder', () => {
    assert.equal(resolveCifar10Dir('mine', { env: {}, cwd }), join(cwd, 'mine'));
  });

  it('returns an explicit path even when it does not exist', () => {
    const env = { [CIFAR10_DIR_ENV]: join(cwd, 'absent') };

    assert.equal(resolveCifar10Dir(undefined, { env, cwd }), join(cwd, 'absent'));
  });

  it('names all three places when nothing is set and the default is missing', () => {
    assert.throws(
      () => resolveCifar10Dir(undefined, { env: {}, cwd }),
      (error: unknown) => {
        assert.ok(error instanceof DataFormatError);
        assert.equal(error.file, join(cwd, 'data/cifar10'));
        assert.match(error.message, /"path"/);
        assert.match(error.message, new RegExp(CIFAR10_DIR_ENV));
        assert.match(error.message, /data\/cifar10/);
        return true;
      },
    );
  });

  it('falls back to data/cifar10 under the current folder when it exists', async () => {
    await mkdir(join(cwd, 'data/cifar10'), { recursive: true });

    assert.equal(resolveCifar10Dir(undefined, { env: {}, cwd }), join(cwd, 'data/cifar10'));
  });
});
