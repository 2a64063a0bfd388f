/**
 * Picks and sets up the tfjs backend a process trains on.
 */
import './register-gradients.ts';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { createSilentLogger, toError } from '@hourglass/common';
import type { Logger } from '@hourglass/common';
import {
  AUTO_BACKEND_ORDER,
  readBackendPreferenceFromEnv,
} from './backend-preference.ts';
import type {
  BackendName,
  BackendPreference,
  ComputeBackend,
} from './backend-preference.ts';
import { BackendUnavailableError } from './backend-unavailable-error.ts';
import { importTensorflowNode } from './import-tensorflow-node.ts';
import type { NativeBackendName } from './import-tensorflow-node.ts';
import {
  configureWasmPaths,
  describeWasmRuntime,
} from './wasm/configure-wasm.ts';
import { patchWasmBackend } from './wasm/patch-wasm-backend.ts';

/** The backend name both tfjs-node packages register. */
const TENSORFLOW_TF_BACKEND = 'tensorflow';

async function setTfBackend(
  name: BackendName,
  tfBackend: string,
): Promise<void> {
  let isSet: boolean;
  try {
    isSet = await tf.setBackend(tfBackend);
    await tf.ready();
  } catch (thrown) {
    const error = toError(thrown);
    throw new BackendUnavailableError(
      name,
      'failed-to-initialise',
      `tfjs could not initialise '${tfBackend}': ${error.message}`,
      error,
    );
  }
  if (!isSet || tf.getBackend() !== tfBackend) {
    throw new BackendUnavailableError(
      name,
      'failed-to-initialise',
      `tfjs could not initialise '${tfBackend}'`,
    );
  }
}

async function activateTensorflow(
  name: NativeBackendName,
  logger: Logger,
): Promise<ComputeBackend> {
  const loaded = await importTensorflowNode(name);

  // tfjs-node brings its own @tensorflow/tfjs; a second tfjs-core copy of
  // another version would share our global engine with different code.
  const theirs = loaded.coreVersion;
  if (theirs !== undefined && theirs !== tf.version_core) {
    const ours = tf.version_core;
    const fields = { package: loaded.packageName, theirs, ours };
    logger.warn(fields, 'tfjs-core versions differ');
  }
  await setTfBackend(name, TENSORFLOW_TF_BACKEND);

  // The GPU build silently runs on the CPU when CUDA finds no device.
  const isOnGpu = (tf.backend() as { isUsingGpuDevice?: unknown })
    .isUsingGpuDevice === true;
  if (name === 'tensorflow-gpu' && !isOnGpu) {
    logger.warn({ backend: name }, 'tensorflow-gpu runs without a gpu');
  }
  return {
    name,
    tfBackend: tf.getBackend(),
    device: isOnGpu ? 'gpu' : 'cpu',
    version: tf.version_core,
  };
}

async function activateWasm(logger: Logger): Promise<ComputeBackend> {
  const folder = configureWasmPaths();
  const patchedKernels = patchWasmBackend();
  await setTfBackend('wasm', 'wasm');

  const runtime = await describeWasmRuntime();
  if (!runtime.hasSimd) {
    logger.warn({ backend: 'wasm' }, 'wasm runs without simd');
  }
  logger.debug(
    { backend: 'wasm', folder, patchedKernels, threads: runtime.threadCount },
    'wasm backend ready',
  );
  return {
    name: 'wasm',
    tfBackend: tf.getBackend(),
    device: runtime.device,
    version: tf.version_core,
  };
}

async function activateCpu(): Promise<ComputeBackend> {
  await setTfBackend('cpu', 'cpu');
  return {
    name: 'cpu',
    tfBackend: tf.getBackend(),
    device: 'cpu',
    version: tf.version_core,
  };
}

function activate(name: BackendName, logger: Logger): Promise<ComputeBackend> {
  switch (name) {
    case 'tensorflow-gpu':
    case 'tensorflow':
      return activateTensorflow(name, logger);
    case 'wasm':
      return activateWasm(logger);
    case 'cpu':
      return activateCpu();
  }
}

function logFallThrough(logger: Logger, name: BackendName, err: Error): void {
  const fields = {
    backend: name,
    reason: err instanceof BackendUnavailableError ? err.reason : 'unknown',
    err,
  };
  // An absent optional package is the normal case on machines without
  // libtensorflow; a package that is there but fails needs a look.
  if (fields.reason === 'not-installed') {
    logger.info(fields, 'compute backend not installed, trying the next');
  } else {
    logger.warn(fields, 'compute backend failed, trying the next');
  }
}

/**
 * Sets up the tfjs backend to compute on and waits until it is ready.
 *
 * 'auto' (the default) takes HOURGLASS_BACKEND when it is set, and
 * otherwise the first of tfjs-node-gpu, tfjs-node and wasm that loads,
 * logging why each skipped one was skipped. The JavaScript 'cpu' backend
 * is far too slow to train on and is used only when asked for. A backend
 * asked for by name throws BackendUnavailableError when it cannot be used.
 */
export async function resolveBackend(
  preference: BackendPreference = 'auto',
  logger: Logger = createSilentLogger(),
): Promise<ComputeBackend> {
  const chosen =
    preference === 'auto'
      ? readBackendPreferenceFromEnv() ?? 'auto'
      : preference;
  const candidates = chosen === 'auto' ? AUTO_BACKEND_ORDER : [chosen];

  for (const [index, name] of candidates.entries()) {
    try {
      const backend = await activate(name, logger);
      const { tfBackend, device, version } = backend;
      logger.info(
        { backend: name, tfBackend, device, version, preference: chosen },
        'compute backend ready',
      );
      return backend;
    } catch (thrown) {
      const error = toError(thrown);
      const isLast = index === candidates.length - 1;
      if (chosen !== 'auto' || isLast) throw error;
      logFallThrough(logger, name, error);
    }
  }
  throw new BackendUnavailableError(
    'wasm',
    'failed-to-initialise',
    'no compute backend to try',
  );
}

