import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { afterEach, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { ValidationError } from '@hourglass/common';
import type { Logger } from '@hourglass/common';
import { BACKEND_ENV_VAR } from './backend-preference.ts';
import { BackendUnavailableError } from './backend-unavailable-error.ts';
import { resolveBackend } from './resolve-backend.ts';

interface LogRecord {
  level: string;
  fields: Record<string, unknown>;
  message: string;
}

/** A Logger stand-in that keeps what was logged. */
function recordingLogger(records: LogRecord[]): Logger {
  const at = (level: string) =>
    (fields: Record<string, unknown>, message: string) => {
      records.push({ level, fields, message });
    };
  const logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  };
  return logger as unknown as Logger;
}

function isInstalled(packageName: string): boolean {
  try {
    createRequire(import.meta.url).resolve(packageName);
    return true;
  } catch {
    return false;
  }
}

const hasTensorflowNode =
  isInstalled('@tensorflow/tfjs-node') ||
  isInstalled('@tensorflow/tfjs-node-gpu');
const skipWithTensorflowNode = hasTensorflowNode
  ? 'a tfjs-node package is installed here'
  : false;

describe('resolveBackend', () => {
  const savedEnv = process.env[BACKEND_ENV_VAR];
  afterEach(() => {
    if (savedEnv === undefined) delete process.env[BACKEND_ENV_VAR];
    else process.env[BACKEND_ENV_VAR] = savedEnv;
  });

  test('auto picks wasm with simd when tfjs-node is not installed',
    { skip: skipWithTensorflowNode }, async () => {
      delete process.env[BACKEND_ENV_VAR];
      const records: LogRecord[] = [];

      const backend = await resolveBackend('auto', recordingLogger(records));

      assert.deepEqual(backend, {
        name: 'wasm',
        tfBackend: 'wasm',
        device: backend.device,
        version: tf.version_core,
      });
      assert.match(backend.device, /^wasm-simd/);
      assert.equal(tf.getBackend(), 'wasm');
      const skipped = records
        .filter((record) => record.fields.reason === 'not-installed')
        .map((record) => record.fields.backend);
      assert.deepEqual(skipped, ['tensorflow-gpu', 'tensorflow']);
    });

  test('HOURGLASS_BACKEND=cpu makes auto use the cpu backend', async () => {
    process.env[BACKEND_ENV_VAR] = 'cpu';

    const backend = await resolveBackend();

    assert.deepEqual(backend, {
      name: 'cpu',
      tfBackend: 'cpu',
      device: 'cpu',
      version: tf.version_core,
    });
    assert.equal(tf.getBackend(), 'cpu');
  });

  test('a backend asked for by name wins over HOURGLASS_BACKEND',
    async () => {
      process.env[BACKEND_ENV_VAR] = 'cpu';

      const backend = await resolveBackend('wasm');

      assert.equal(backend.name, 'wasm');
      assert.equal(tf.getBackend(), 'wasm');
    });

  test('an unknown HOURGLASS_BACKEND is a validation error', async () => {
    process.env[BACKEND_ENV_VAR] = 'webgpu';

    await assert.rejects(resolveBackend(), ValidationError);
  });

  test('tensorflow asked for by name fails when tfjs-node is absent',
    { skip: skipWithTensorflowNode }, async () => {
      await assert.rejects(resolveBackend('tensorflow'), (error) => {
        assert.ok(error instanceof BackendUnavailableError);
        assert.equal(error.code, 'HG_BACKEND_UNAVAILABLE');
        assert.equal(error.reason, 'not-installed');
        return true;
      });
    });
});
