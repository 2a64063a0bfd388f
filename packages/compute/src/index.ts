/**
 * @hourglass/compute: chooses the tfjs backend a process computes on and
 * makes the wasm backend correct for training.
 */
export {
  AUTO_BACKEND_ORDER,
  BACKEND_ENV_VAR,
  BACKEND_PREFERENCES,
  readBackendPreferenceFromEnv,
} from './backend-preference.ts';
export type {
  BackendName,
  BackendPreference,
  ComputeBackend,
} from './backend-preference.ts';
export { BackendUnavailableError } from './backend-unavailable-error.ts';
export type { BackendUnavailableReason } from './backend-unavailable-error.ts';
export { NATIVE_BACKEND_PACKAGES } from './import-tensorflow-node.ts';
export { resolveBackend } from './resolve-backend.ts';
export { patchWasmBackend } from './wasm/patch-wasm-backend.ts';
