import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValidationError } from '@hourglass/common';
import { readBackendPreferenceFromEnv } from './backend-preference.ts';

describe('readBackendPreferenceFromEnv', () => {
  test('is undefined when HOURGLASS_BACKEND is unset or blank', () => {
    assert.equal(readBackendPreferenceFromEnv({}), undefined);
    assert.equal(
      readBackendPreferenceFromEnv({ HOURGLASS_BACKEND: ' ' }),
      undefined,
    );
  });

  test('accepts every backend name and auto', () => {
    for (const name of ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm',
      'cpu']) {
      assert.equal(
        readBackendPreferenceFromEnv({ HOURGLASS_BACKEND: name }),
        name,
      );
    }
  });

  test('rejects other values with the accepted ones in the message', () => {
    assert.throws(
      () => readBackendPreferenceFromEnv({ HOURGLASS_BACKEND: 'gpu' }),
      (error) => {
        assert.ok(error instanceof ValidationError);
        assert.match(error.message, /HOURGLASS_BACKEND: expected one of auto/);
        return true;
      },
    );
  });
});
