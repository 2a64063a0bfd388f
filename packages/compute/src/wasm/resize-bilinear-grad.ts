/**
 * Workaround: the wasm ResizeBilinearGrad kernel ignores
 * `halfPixelCenters`, so the gradient of
 * `tf.image.resizeBilinear(x, size, false, true)` is the gradient of a
 * different resize (the one without half-pixel centers).
 *
 * Why it exists: tfjs-backend-wasm 4.22 (and tfjs-backend-cpu, whose
 * kernel has the same omission) pass only `alignCorners` to the gradient.
 * The forward kernels honour both flags. With `halfPixelCenters` this
 * kernel computes the exact adjoint of the forward resize in JavaScript on
 * the wasm heap: each output pixel hands dy back to its four source pixels
 * with the forward interpolation weights. Without it, the original kernel
 * is right and about twice as fast, so it keeps that case.
 */
import type {
  KernelConfig,
  KernelFunc,
  ResizeBilinearGradAttrs,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { HourglassError } from '@hourglass/common';
import { heapFloat32, installWasmKernel } from './wasm-kernel-registry.ts';
import type { WasmKernelArgs } from './wasm-kernel-registry.ts';

/** Where one output row (or column) samples the input, per TensorFlow. */
export interface BilinearSample {
  low: number;
  high: number;
  /** Weight of `high`; `low` gets 1 - fraction. */
  fraction: number;
}

/**
 * TensorFlow's source coordinates for resizing `inSize` to `outSize`:
 * with half-pixel centers the source is (i + 0.5) * scale - 0.5, with
 * aligned corners the scale maps the corner pixels onto each other.
 */
export function bilinearSamples(
  inSize: number,
  outSize: number,
  alignCorners: boolean,
  halfPixelCenters: boolean,
): BilinearSample[] {
  const isAligned = alignCorners && outSize > 1;
  const scale = isAligned ? (inSize - 1) / (outSize - 1) : inSize / outSize;
  return Array.from({ length: outSize }, (_, i) => {
    const source = halfPixelCenters ? (i + 0.5) * scale - 0.5 : i * scale;
    const floor = Math.floor(source);
    return {
      low: Math.max(0, floor),
      // max(0, ...) also turns ceil(-0.25) = -0 into a plain 0.
      high: Math.min(inSize - 1, Math.max(0, Math.ceil(source))),
      fraction: source - floor,
    };
  });
}

function resizeBilinearGrad(
  original: KernelConfig,
  args: WasmKernelArgs,
): TensorInfo {
  const { backend } = args;
  const images = args.inputs.images as TensorInfo;
  const dy = args.inputs.dy as TensorInfo;
  const attrs = args.attrs as unknown as ResizeBilinearGradAttrs;
  if (!attrs.halfPixelCenters) return original.kernelFunc(args) as TensorInfo;
  const [batch, inHeight, inWidth, channels] = images.shape as number[];
  const [, outHeight, outWidth] = dy.shape as number[];
  const rows = bilinearSamples(
    inHeight!,
    outHeight!,
    attrs.alignCorners,
    attrs.halfPixelCenters,
  );
  const cols = bilinearSamples(
    inWidth!,
    outWidth!,
    attrs.alignCorners,
    attrs.halfPixelCenters,
  );

  // Allocate first: a heap view taken before an allocation can go stale.
  const dx = backend.makeOutput(images.shape, 'float32');
  const dxValues = heapFloat32(backend, dx);
  const dyValues = heapFloat32(backend, dy);
  dxValues.fill(0);

  const rowStride = inWidth! * channels!;
  let dyIndex = 0;
  for (let n = 0; n < batch!; n++) {
    const batchOffset = n * inHeight! * rowStride;
    for (const row of rows) {
      const top = batchOffset + row.low * rowStride;
      const bottom = batchOffset + row.high * rowStride;
      for (const col of cols) {
        const weightBR = row.fraction * col.fraction;
        const weightBL = row.fraction - weightBR;
        const weightTR = col.fraction - weightBR;
        const weightTL = 1 - row.fraction - weightTR;
        const left = col.low * channels!;
        const right = col.high * channels!;
        for (let c = 0; c < channels!; c++, dyIndex++) {
          const grad = dyValues[dyIndex]!;
          dxValues[top + left + c]! += grad * weightTL;
          dxValues[top + right + c]! += grad * weightTR;
          dxValues[bottom + left + c]! += grad * weightBL;
          dxValues[bottom + right + c]! += grad * weightBR;
        }
      }
    }
  }
  return dx;
}

/** Replaces the wasm ResizeBilinearGrad kernel; false if already ours. */
export function installResizeBilinearGrad(): boolean {
  return installWasmKernel('ResizeBilinearGrad', (previous) => {
    if (previous === undefined) {
      throw new HourglassError(
        'HG_KERNEL_MISSING',
        'wasm backend has no ResizeBilinearGrad kernel',
      );
    }
    const kernel = (args: WasmKernelArgs): TensorInfo =>
      resizeBilinearGrad(previous, args);
    return kernel as unknown as KernelFunc;
  });
}
