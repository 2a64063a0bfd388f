/**
 * The compute backends Hourglass trains on, and how a caller or the
 * HOURGLASS_BACKEND environment variable chooses one.
 */
import { ValidationError } from '@hourglass/common';

/** A compute backend Hourglass can run on, fastest first. */
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** What a caller asks for: a backend, or the fastest that loads. */
export type BackendPreference = 'auto' | BackendName;

/** The backend that was set up, as reported to logs and run records. */
export interface ComputeBackend {
  name: BackendName;
  /** What tf.getBackend() says: 'tensorflow' for both tfjs-node packages. */
  tfBackend: string;
  /** Where the math runs: 'gpu', 'cpu', 'wasm-simd', ... */
  device: string;
  /** The tfjs-core version. */
  version: string;
}

/** What 'auto' tries, in order: the JS 'cpu' backend is too slow to train. */
export const AUTO_BACKEND_ORDER: readonly BackendName[] = [
  'tensorflow-gpu',
  'tensorflow',
  'wasm',
];

/** Every accepted preference, for validation and help texts. */
export const BACKEND_PREFERENCES: readonly BackendPreference[] = [
  'auto',
  'tensorflow-gpu',
  'tensorflow',
  'wasm',
  'cpu',
];

/** The environment variable that overrides an 'auto' preference. */
export const BACKEND_ENV_VAR = 'HOURGLASS_BACKEND';

/**
 * The preference in HOURGLASS_BACKEND, or undefined when it is unset or
 * empty; throws a ValidationError for any other value.
 */
export function readBackendPreferenceFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): BackendPreference | undefined {
  const value = env[BACKEND_ENV_VAR]?.trim();
  if (value === undefined || value === '') return undefined;

  const preference = BACKEND_PREFERENCES.find((name) => name === value);
  if (preference === undefined) {
    throw new ValidationError('environment', [
      {
        path: BACKEND_ENV_VAR,
        message: `expected one of ${BACKEND_PREFERENCES.join(', ')}, ` +
          `got '${value}'`,
      },
    ]);
  }
  return preference;
}
