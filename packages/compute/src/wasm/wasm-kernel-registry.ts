/**
 * Helpers for replacing and composing kernels of the wasm backend.
 *
 * Our workarounds are kernels registered for 'wasm' in tfjs-core's global
 * kernel registry, so every caller (ops, gradients, tfjs-layers) gets them.
 * A kernel built from other kernels calls their functions directly on the
 * backend, as the backends themselves do: going through tf ops instead
 * would create engine-tracked tensors inside a kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { HourglassError } from '@hourglass/common';

/** The name the wasm package registers its backend and kernels under. */
export const WASM_BACKEND = 'wasm';

/** Arguments every kernel function receives, typed for the wasm backend. */
export interface WasmKernelArgs {
  inputs: NamedTensorInfoMap;
  backend: BackendWasm;
  attrs?: NamedAttrMap;
}

// Kernel functions installed by this package, so that patching twice is a
// no-op and a wrapper never wraps another of our wrappers.
const installedKernelFuncs = new WeakSet<KernelFunc>();

/**
 * Registers `build(previous)` as the wasm kernel for `kernelName`, where
 * `previous` is the kernel registered before (if any). Keeps the previous
 * setup and dispose functions, which wire the C++ entry point that a
 * wrapped kernel still calls. Returns false when ours is already there.
 */
export function installWasmKernel(
  kernelName: string,
  build: (previous: KernelConfig | undefined) => KernelFunc,
): boolean {
  const previous = tf.getKernel(kernelName, WASM_BACKEND);
  if (previous !== undefined && installedKernelFuncs.has(previous.kernelFunc)) {
    return false;
  }

  const kernelFunc = build(previous);
  installedKernelFuncs.add(kernelFunc);

  // registerKernel refuses to overwrite, so the old entry goes first.
  if (previous !== undefined) tf.unregisterKernel(kernelName, WASM_BACKEND);
  tf.registerKernel({
    kernelName,
    backendName: WASM_BACKEND,
    kernelFunc,
    setupFunc: previous?.setupFunc,
    disposeFunc: previous?.disposeFunc,
  });
  return true;
}

/** Whether the wasm kernel for `kernelName` is one this package installed. */
export function isInstalledWasmKernel(kernelName: string): boolean {
  const kernel = tf.getKernel(kernelName, WASM_BACKEND);
  return kernel !== undefined && installedKernelFuncs.has(kernel.kernelFunc);
}

/**
 * Runs the wasm kernel registered for `kernelName` straight on the backend
 * and returns its single output. The caller owns the output and must
 * release it with `releaseTensorInfo` unless it returns it.
 */
export function runWasmKernel(
  kernelName: string,
  backend: BackendWasm,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap,
): TensorInfo {
  const kernel = tf.getKernel(kernelName, WASM_BACKEND);
  if (kernel === undefined) {
    throw new HourglassError(
      'HG_KERNEL_MISSING',
      `wasm backend has no ${kernelName} kernel`,
    );
  }

  const output = kernel.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(output)) {
    throw new HourglassError(
      'HG_KERNEL_MISSING',
      `wasm kernel ${kernelName} returned ${output.length} outputs, expected 1`,
    );
  }
  return output;
}

/** Frees an intermediate result of `runWasmKernel`. */
export function releaseTensorInfo(
  backend: BackendWasm,
  info: TensorInfo,
): void {
  backend.disposeData(info.dataId);
}

/**
 * The float32 values of a wasm tensor as a view on the wasm heap (no copy).
 * A view dies when the heap grows, so take views after the last allocation.
 */
export function heapFloat32(
  backend: BackendWasm,
  info: TensorInfo,
): Float32Array {
  if (info.dtype !== 'float32') {
    throw new HourglassError(
      'HG_KERNEL_DTYPE',
      `wasm kernel workaround expects float32 tensors, got ${info.dtype}`,
    );
  }
  return backend.typedArrayFromHeap(info) as Float32Array;
}
