/**
 * Points the wasm backend at its .wasm binaries in node_modules and
 * describes which binary (plain, SIMD, threaded SIMD) it runs.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { HourglassError } from '@hourglass/common';

/** The binary the wasm backend loads when SIMD is available. */
export const WASM_SIMD_BINARY = 'tfjs-backend-wasm-simd.wasm';

/** What the wasm backend runs on, once initialised. */
export interface WasmRuntime {
  /** 'wasm-simd-threaded', 'wasm-simd' or 'wasm'. */
  device: string;
  hasSimd: boolean;
  threadCount: number;
}

/** The folder holding the .wasm files of @tensorflow/tfjs-backend-wasm. */
export function locateWasmBinaries(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@tensorflow/tfjs-backend-wasm');
  return dirname(entry);
}

let isConfigured = false;

/**
 * Tells the wasm backend where its binaries are. Its Node build finds them
 * next to its own script already; saying so explicitly keeps that true
 * when the code is bundled or the script is moved. Call before the
 * backend is first initialised; later calls do nothing.
 */
export function configureWasmPaths(): string {
  const folder = locateWasmBinaries();
  if (isConfigured) return folder;

  if (!existsSync(join(folder, WASM_SIMD_BINARY))) {
    throw new HourglassError(
      'HG_BACKEND_UNAVAILABLE',
      `backend wasm: ${WASM_SIMD_BINARY} not found in ${folder}`,
    );
  }
  setWasmPaths(folder + sep);
  isConfigured = true;
  return folder;
}

/**
 * Which wasm binary runs: the backend picks the SIMD (and, where workers
 * share memory, threaded) build from these two feature checks.
 */
export async function describeWasmRuntime(): Promise<WasmRuntime> {
  const hasSimd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const hasThreads = Boolean(
    await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
  );
  const base = hasSimd ? 'wasm-simd' : 'wasm';
  return {
    device: hasSimd && hasThreads ? `${base}-threaded` : base,
    hasSimd,
    threadCount: getThreadsCount(),
  };
}
