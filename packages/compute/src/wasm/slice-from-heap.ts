/**
 * Speed workaround: the wasm Slice kernel copies its whole input out of
 * the wasm heap before copying out the part it returns.
 *
 * Why it exists: in tfjs-backend-wasm 4.22 the Slice kernel starts with
 * `backend.readSync(x.dataId)`, which copies every element of x into a
 * new JavaScript buffer (HEAPU8.slice), whatever the size of the slice.
 * Taking 1,024 rows of a [5760, 9000] matrix copied all 207 MB; slicing
 * blocks out of large matrices (Gram blocks, Cholesky panels) spent more
 * time there than in the matrix products (measured: 15 of 80 s of a ridge
 * neural fit).
 *
 * This kernel copies the same elements straight from a view on the heap,
 * innermost axis runs at a time; results are bit for bit the same. String
 * tensors, which live outside the heap, keep the original kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  KernelConfig,
  KernelFunc,
  SliceAttrs,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { HourglassError } from '@hourglass/common';
import { installWasmKernel } from './wasm-kernel-registry.ts';
import type { WasmKernelArgs } from './wasm-kernel-registry.ts';

/**
 * Copies x[begin : begin + size] (row-major, any rank >= 1) into `out`,
 * one run along the last axis at a time.
 */
export function copySlice(
  x: tf.TypedArray,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  out: tf.TypedArray,
): void {
  const rank = shape.length;
  const strides = tf.util.computeStrides(shape as number[]);
  const run = size[rank - 1]!;
  const runs = tf.util.sizeFromShape(size.slice(0, -1) as number[]);
  if (run === 0 || runs === 0) return;

  // An odometer over the leading axes, with the flat offset kept current.
  const index = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  let offset = begin[rank - 1]!;
  for (let axis = 0; axis < rank - 1; axis += 1) {
    offset += begin[axis]! * strides[axis]!;
  }
  for (let r = 0; r < runs; r += 1) {
    out.set(x.subarray(offset, offset + run), r * run);
    for (let axis = rank - 2; axis >= 0; axis -= 1) {
      index[axis]! += 1;
      offset += strides[axis]!;
      if (index[axis]! < size[axis]!) break;
      offset -= index[axis]! * strides[axis]!;
      index[axis] = 0;
    }
  }
}

function sliceFromHeap(original: KernelConfig): KernelFunc {
  return (args) => {
    const { backend, inputs } = args as unknown as WasmKernelArgs;
    const x = inputs.x as TensorInfo;
    if (x.dtype === 'string' || x.shape.length === 0) {
      return original.kernelFunc(args);
    }

    const attrs = args.attrs as unknown as SliceAttrs;
    const [begin, size] = tf.slice_util.parseSliceParams(
      x as tf.Tensor,
      attrs.begin,
      attrs.size,
    ) as [number[], number[]];
    tf.slice_util.assertParamsValid(x as tf.Tensor, begin, size);

    // Allocate first: a heap view taken before an allocation can go stale.
    const out = backend.makeOutput(size, x.dtype);
    copySlice(
      backend.typedArrayFromHeap(x),
      x.shape,
      begin,
      size,
      backend.typedArrayFromHeap(out),
    );
    return out;
  };
}

/** Replaces the wasm Slice kernel; false if already done. */
export function installSliceFromHeap(): boolean {
  return installWasmKernel('Slice', (previous) => {
    if (previous === undefined) {
      throw new HourglassError(
        'HG_KERNEL_MISSING',
        'wasm backend has no Slice kernel to replace',
      );
    }
    return sliceFromHeap(previous);
  });
}
