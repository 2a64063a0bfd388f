/**
 * Workaround: the wasm matMul kernels run a product with a transpose flag
 * in a scalar loop instead of XNNPACK, several times slower than the same
 * product on transposed copies. Gradients of every dense layer are such
 * products (dA = dY Bᵀ, dB = Aᵀ dY). Measured here, [64, 2048] x
 * [1024, 2048]ᵀ: 114 ms with the flag, 31 ms transposing first.
 *
 * The fix: before a flagged product of batch 1 (the products XNNPACK
 * takes), transpose the flagged factors with the wasm Transpose kernel
 * and run the product without flags. Batched products keep the flags:
 * the kernel's loop handles those either way.
 */
import type { BatchMatMulAttrs, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { runWasmKernel } from './wasm-kernel-registry.ts';

/** A product's inputs and flags after transposing, and the copies made. */
export interface PlainProduct {
  inputs: NamedTensorInfoMap;
  attrs: BatchMatMulAttrs;
  /** Transposed copies, for the caller to release after the product. */
  copies: TensorInfo[];
}

/**
 * The same product with its flagged factors transposed and no flags; the
 * product itself unchanged when it has no flag or cannot go to XNNPACK.
 */
export function transposeFlaggedFactors(
  backend: BackendWasm,
  inputs: NamedTensorInfoMap,
  attrs: BatchMatMulAttrs,
  canUseXnnpack: boolean,
): PlainProduct {
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  if (!canUseXnnpack || !(attrs.transposeA || attrs.transposeB)) {
    return { inputs, attrs, copies: [] };
  }

  const copies: TensorInfo[] = [];
  const transposed = (x: TensorInfo) => {
    const rank = x.shape.length;
    const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
    const copy = runWasmKernel('Transpose', backend, { x }, { perm });
    copies.push(copy);
    return copy;
  };
  return {
    inputs: {
      ...inputs,
      a: attrs.transposeA ? transposed(a) : a,
      b: attrs.transposeB ? transposed(b) : b,
    },
    attrs: { ...attrs, transposeA: false, transposeB: false },
    copies,
  };
}
