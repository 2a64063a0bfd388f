/**
 * Workaround: the wasm matMul kernels reuse XNNPACK's packing of the
 * right-hand factor after the factor was reshaped, giving wrong products
 * and writing past the end of the output buffer.
 *
 * Why it exists: in tfjs-backend-wasm 4.22, BatchMatMul and _FusedMatMul
 * hand a product without transposes and with batch 1 to XNNPACK's fully
 * connected operator (`xnn_matmul` in src/cc/batch_mat_mul_impl.cc). The
 * operator packs b once and is cached under the key (b_id, bias_id,
 * activation), where b_id is the id of b's data buffer; the key holds no
 * shape, and the entry is dropped only when that buffer is freed. tfjs's
 * `reshape` shares the buffer (the wasm Reshape kernel returns the same
 * dataId), so a factor used as [k, n] and then, reshaped, as [k', n']
 * runs the second product with the first packing: k input and n output
 * channels. Measured here: 2 x [1, 4] after [4, 1] gave 2 and three
 * values near 1e-40 instead of [2, 4, 6, 8], and [4, 3] after [3, 4] wrote past the output and
 * aborted the wasm module on a later free. Flatten-then-dense layers,
 * tied or reshaped weights and row and column vectors all reach it.
 *
 * The fix records, per wasm buffer, the [k, n] under which XNNPACK first
 * packed it. A later product that would reach the cache with another
 * [k, n] gets a fresh copy of b instead (one memcpy; XNNPACK packs the
 * copy, a pass over b that the product needed anyway, and drops it with
 * the copy). Every other product passes straight through: the check is a
 * map look-up per call. Products with a transpose flag or a batch above 1
 * take the kernel's scalar loop, which caches nothing. The Conv2D cache
 * keys on the filter's sizes as well as its id and is not affected.
 * Measured on 1024 x 1024 products: 74.1 ms through the original kernel
 * and 74.2 through this one with a cached factor; 43.5 ms with a reshaped
 * factor copied here against 43.0 with a factor in a buffer of its own.
 *
 * Shortcomings: packings made before `patchWasmBackend` ran are unknown
 * here, so a buffer packed then and reshaped later is not protected (the
 * resolver patches before it initialises wasm). A factor used under its
 * second [k, n] is copied and packed again at every such product.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  BatchMatMulAttrs,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { HourglassError } from '@hourglass/common';
import {
  heapFloat32,
  installWasmKernel,
  releaseTensorInfo,
} from './wasm-kernel-registry.ts';
import type { WasmKernelArgs } from './wasm-kernel-registry.ts';
import { transposeFlaggedFactors } from './mat-mul-transposes.ts';

/** The matMul kernels that share the packed-factor cache. */
export const MAT_MUL_KERNELS = ['BatchMatMul', '_FusedMatMul'] as const;

/**
 * The [k, n] each wasm buffer was first packed under, keyed by the
 * backend's record of the buffer: that record lives exactly as long as
 * the buffer id the C++ cache uses (a buffer moved to another backend and
 * back gets a new record and a new id).
 */
const packedShapes = new WeakMap<object, string>();

/**
 * Whether a product with these factors and flags reaches XNNPACK's
 * cached operator: no transposes and batch 1 on both sides.
 */
export function reachesPackingCache(
  aShape: readonly number[],
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
): boolean {
  const batchOf = (shape: readonly number[]) =>
    tf.util.sizeFromShape(shape.slice(0, -2));
  return (
    !transposeA && !transposeB && batchOf(aShape) === 1 && batchOf(bShape) === 1
  );
}

/** The [k, n] XNNPACK would pack b as, written as a key. */
function packingKey(bShape: readonly number[]): string {
  const rank = bShape.length;
  return `${bShape[rank - 2]}x${bShape[rank - 1]}`;
}

/**
 * b itself when its buffer is unpacked or was packed under the same
 * [k, n]; otherwise a copy of b in a new buffer, which the caller
 * releases after the product.
 */
function asPackableFactor(backend: BackendWasm, b: TensorInfo): TensorInfo {
  const record = backend.dataIdMap.get(b.dataId);
  if (record === undefined) {
    throw new HourglassError(
      'HG_KERNEL_MISSING',
      'in matMul: right factor has no wasm buffer',
    );
  }

  const key = packingKey(b.shape);
  const packed = packedShapes.get(record);
  if (packed === undefined) packedShapes.set(record, key);
  if (packed === undefined || packed === key) return b;

  // Allocate first: a heap view taken before an allocation can go stale.
  const copy = backend.makeOutput(b.shape, 'float32');
  heapFloat32(backend, copy).set(heapFloat32(backend, b));
  return copy;
}

function guardRightFactor(original: KernelConfig): KernelFunc {
  return (args) => {
    const { backend } = args as unknown as WasmKernelArgs;
    const attrs = args.attrs as unknown as BatchMatMulAttrs;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const isFloat = a.dtype === 'float32' && b.dtype === 'float32';
    // See mat-mul-transposes.ts: flags first become transposed copies.
    const plain = transposeFlaggedFactors(
      backend,
      args.inputs,
      attrs,
      isFloat && reachesPackingCache(a.shape, b.shape, false, false),
    );
    try {
      return runGuarded(original, {
        ...args,
        inputs: plain.inputs,
        attrs: plain.attrs as unknown as NamedAttrMap,
      });
    } finally {
      for (const copy of plain.copies) releaseTensorInfo(backend, copy);
    }
  };
}

// The product through the original kernel, with a fresh right factor
// when its buffer was packed under another [k, n].
function runGuarded(original: KernelConfig, args: Parameters<KernelFunc>[0]) {
  const { backend, inputs } = args as unknown as WasmKernelArgs;
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  const attrs = args.attrs as unknown as BatchMatMulAttrs;
  const isCached =
    a.dtype === 'float32' &&
    b.dtype === 'float32' &&
    reachesPackingCache(a.shape, b.shape, attrs.transposeA, attrs.transposeB);
  if (!isCached) return original.kernelFunc(args);

  const factor = asPackableFactor(backend, b);
  if (factor === b) return original.kernelFunc(args);
  try {
    return original.kernelFunc({ ...args, inputs: { ...inputs, b: factor } });
  } finally {
    releaseTensorInfo(backend, factor);
  }
}

/**
 * Wraps the wasm BatchMatMul and _FusedMatMul kernels; returns the names
 * this call wrapped (empty when already done).
 */
export function installMatMulRightFactorGuard(): string[] {
  return MAT_MUL_KERNELS.filter((name) =>
    installWasmKernel(name, (previous) => {
      if (previous === undefined) {
        throw new HourglassError(
          'HG_KERNEL_MISSING',
          `wasm backend has no ${name} kernel to guard`,
        );
      }
      return guardRightFactor(previous);
    }),
  );
}
