/**
 * Workaround: tfjs-backend-wasm 4.22 registers no Conv2DBackpropFilter
 * kernel, so the backward pass of every conv2d, fused conv2d and
 * conv2dTranspose fails on wasm ("Kernel 'Conv2DBackpropFilter' not
 * registered for backend 'wasm'").
 *
 * The filter gradient is itself a convolution, which we hand to the wasm
 * Conv2D kernel (XNNPACK) instead of looping in JavaScript:
 *
 *   dW[i, j, c, o] = sum over n, p, q of
 *     x[n, p * sh + i - top, q * sw + j - left, c] * dy[n, p, q, o]
 *
 * Read with the batch as the channel axis, that is a stride-1 convolution
 * of x^T = [c, H, W, n] with the filter dy^T = [p, q, n, o], dilated by the
 * forward stride, giving [c, i, j, o]. Its padding must make the output
 * exactly kh x kw: keep the forward top/left padding and choose the
 * bottom/right so that the window count is right. When the stride exceeds
 * the kernel, the forward pass never reads the last rows of x and that
 * bottom "padding" would be negative; those rows are cropped instead (the
 * pitfall: using the forward padding, or 'same', there gives a wrong shape
 * or wrong values). Only NHWC and dilation 1, like the wasm Conv2D itself.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  Conv2DBackpropFilterAttrs,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { HourglassError } from '@hourglass/common';
import {
  installWasmKernel,
  releaseTensorInfo,
  runWasmKernel,
} from './wasm-kernel-registry.ts';
import type { WasmKernelArgs } from './wasm-kernel-registry.ts';
import type { ExplicitPadding } from './explicit-same-padding.ts';

/** One spatial axis of the filter-gradient convolution. */
interface AxisPlan {
  /** Input rows (or columns) the forward pass can read, from index 0. */
  usedSize: number;
  /** Padding before, as in the forward pass. */
  padBefore: number;
  /** Padding after, so that the output has exactly `kernelSize` rows. */
  padAfter: number;
}

/**
 * Plans one axis: the forward pass reads input index p * stride + i - pad
 * for p < outSize, i < kernelSize, so indices past
 * (outSize - 1) * stride + kernelSize - pad - 1 are never read.
 */
export function planFilterGradientAxis(
  inSize: number,
  outSize: number,
  kernelSize: number,
  stride: number,
  padBefore: number,
): AxisPlan {
  const extent = (outSize - 1) * stride + kernelSize;
  const usedSize = Math.min(inSize, extent - padBefore);
  return { usedSize, padBefore, padAfter: extent - padBefore - usedSize };
}

function conv2dBackpropFilter(args: WasmKernelArgs): TensorInfo {
  const { backend } = args;
  const x = args.inputs.x as TensorInfo;
  const dy = args.inputs.dy as TensorInfo;
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  if (attrs.dataFormat === 'NCHW') {
    throw new HourglassError(
      'HG_KERNEL_UNSUPPORTED',
      'wasm Conv2DBackpropFilter supports NHWC only, got NCHW',
    );
  }

  const convInfo = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const rows = planFilterGradientAxis(
    convInfo.inHeight,
    convInfo.outHeight,
    convInfo.filterHeight,
    convInfo.strideHeight,
    convInfo.padInfo.top,
  );
  const cols = planFilterGradientAxis(
    convInfo.inWidth,
    convInfo.outWidth,
    convInfo.filterWidth,
    convInfo.strideWidth,
    convInfo.padInfo.left,
  );

  // Every output reads padding only: the gradient is zero.
  if (rows.usedSize <= 0 || cols.usedSize <= 0) {
    return runWasmKernel('Fill', backend, {}, {
      shape: attrs.filterShape,
      value: 0,
      dtype: 'float32',
    });
  }

  const [batch, , , inChannels] = x.shape as number[];
  const xT = runWasmKernel('Transpose', backend, { x }, { perm: [3, 1, 2, 0] });
  const isCropped =
    rows.usedSize < convInfo.inHeight || cols.usedSize < convInfo.inWidth;
  const xUsed = isCropped
    ? runWasmKernel('Slice', backend, { x: xT }, {
        begin: [0, 0, 0, 0],
        size: [inChannels!, rows.usedSize, cols.usedSize, batch!],
      })
    : xT;
  const dyT = runWasmKernel('Transpose', backend, { x: dy }, {
    perm: [1, 2, 0, 3],
  });

  // [c, kh, kw, o]: a stride-1 conv dilated by the forward stride.
  const pad: ExplicitPadding = [
    [0, 0],
    [rows.padBefore, rows.padAfter],
    [cols.padBefore, cols.padAfter],
    [0, 0],
  ];
  const dwT = runWasmKernel('Conv2D', backend, { x: xUsed, filter: dyT }, {
    strides: [1, 1],
    pad,
    dataFormat: 'NHWC',
    dilations: [convInfo.strideHeight, convInfo.strideWidth],
  });
  const dw = runWasmKernel('Transpose', backend, { x: dwT }, {
    perm: [1, 2, 0, 3],
  });

  for (const info of [xT, dyT, dwT]) releaseTensorInfo(backend, info);
  if (isCropped) releaseTensorInfo(backend, xUsed);
  return dw;
}

/** Registers the filter-gradient kernel for wasm; false if already there. */
export function installConv2dBackpropFilter(): boolean {
  return installWasmKernel(
    'Conv2DBackpropFilter',
    () => conv2dBackpropFilter as unknown as KernelFunc,
  );
}
