/**
 * Workaround: the wasm MaxPoolGrad kernel sends the gradient to the wrong
 * pixel whenever a pooling window holds no value above 1.2e-38.
 *
 * Why it exists: tfjs-backend-wasm 4.22 finds each window's maximum
 * starting from std::numeric_limits<float>::min(), the smallest positive
 * float, instead of the lowest one. A window of negative numbers (or of
 * zeros, with `>=`) never replaces that start value, so its gradient goes
 * to position 0 instead of the window's maximum. Any max pool that is not
 * fed by a ReLU gets wrong gradients (checked against the cpu backend:
 * errors of order 1). The wasm MaxPool forward kernel (XNNPACK) is right.
 *
 * This kernel computes the gradient in JavaScript directly on the wasm
 * heap: for each window, the first maximum in row-major order receives dy
 * (the cpu backend's and TensorFlow's choice on ties); pixels in padding
 * never win. It costs one pass over the windows, small next to a conv.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  KernelFunc,
  MaxPoolGradAttrs,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { heapFloat32, installWasmKernel } from './wasm-kernel-registry.ts';
import type { WasmKernelArgs } from './wasm-kernel-registry.ts';

function maxPoolGrad(args: WasmKernelArgs): TensorInfo {
  const { backend } = args;
  const dy = args.inputs.dy as TensorInfo;
  const input = args.inputs.input as TensorInfo;
  const attrs = args.attrs as unknown as MaxPoolGradAttrs;
  const pool = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );

  // Allocate first: a heap view taken before an allocation can go stale.
  const dx = backend.makeOutput(input.shape, 'float32');
  const dxValues = heapFloat32(backend, dx);
  const xValues = heapFloat32(backend, input);
  const dyValues = heapFloat32(backend, dy);
  dxValues.fill(0);

  const { batchSize, inHeight, inWidth, inChannels } = pool;
  const { outHeight, outWidth, strideHeight, strideWidth } = pool;
  const { filterHeight, filterWidth } = pool;
  const { top, left } = pool.padInfo;
  const best = new Float32Array(inChannels);
  const bestIndex = new Int32Array(inChannels);
  let dyOffset = 0;
  for (let n = 0; n < batchSize; n++) {
    const batchOffset = n * inHeight * inWidth * inChannels;
    for (let p = 0; p < outHeight; p++) {
      const rowStart = p * strideHeight - top;
      const rowFrom = Math.max(0, rowStart);
      const rowTo = Math.min(inHeight, rowStart + filterHeight);
      for (let q = 0; q < outWidth; q++) {
        const colStart = q * strideWidth - left;
        const colFrom = Math.max(0, colStart);
        const colTo = Math.min(inWidth, colStart + filterWidth);

        // Channels innermost: they are contiguous in NHWC.
        best.fill(-Infinity);
        bestIndex.fill(-1);
        for (let row = rowFrom; row < rowTo; row++) {
          for (let col = colFrom; col < colTo; col++) {
            const pixel = batchOffset + (row * inWidth + col) * inChannels;
            for (let c = 0; c < inChannels; c++) {
              // Strict `>` keeps the first maximum, as the cpu backend does.
              const value = xValues[pixel + c]!;
              if (value > best[c]!) {
                best[c] = value;
                bestIndex[c] = pixel + c;
              }
            }
          }
        }

        // A window of NaN or -Infinity only passes no gradient.
        for (let c = 0; c < inChannels; c++) {
          const index = bestIndex[c]!;
          if (index >= 0) dxValues[index]! += dyValues[dyOffset + c]!;
        }
        dyOffset += inChannels;
      }
    }
  }
  return dx;
}

/** Replaces the wasm MaxPoolGrad kernel; false if ours is already there. */
export function installMaxPoolGrad(): boolean {
  return installWasmKernel(
    'MaxPoolGrad',
    () => maxPoolGrad as unknown as KernelFunc,
  );
}
