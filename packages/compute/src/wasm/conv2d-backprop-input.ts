/**
 * Speed workaround: the wasm Conv2DBackpropInput kernel is a plain scalar
 * C++ loop, about ten times slower than the XNNPACK forward convolution of
 * the same size (measured: 64x32x32x64, 3x3, 64 filters: 3.3 s against
 * 0.29 s). It computes the input gradient of every conv2d and the forward
 * pass of every conv2dTranspose, so it dominated training time.
 *
 * Its results are right (checked against the cpu backend, 'same' and large
 * strides included); this kernel only routes the same math through the
 * XNNPACK Conv2D kernel. The input gradient of a strided convolution is a
 * stride-1 convolution of dy with zeros inserted between its pixels
 * (stride - 1 of them), with the filter turned by 180 degrees and its
 * input and output channels swapped:
 *
 *   dx[n, r, c, i] = sum over u, v, o of
 *                    dy'[n, r + u - t, c + v - l, o] * w[kh-1-u, kw-1-v, i, o]
 *
 * where dy' is the zero-stuffed dy and t = kh - 1 - padTop (l alike). The
 * window of dy' each output row reads is padded with zeros where it runs
 * off dy' and cropped where dy' is longer than needed (stride larger than
 * the kernel). The zeros cost stride^2 times the arithmetic: faster than
 * the old loop up to stride 2 (stride 1: 8x, stride 2: 2x faster), slower
 * beyond (stride 4: 2x, 7x7 stride 16: 50x slower), so larger strides
 * keep the original kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  Conv2DBackpropInputAttrs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { HourglassError } from '@hourglass/common';
import type { ExplicitPadding } from './explicit-same-padding.ts';
import {
  installWasmKernel,
  releaseTensorInfo,
  runWasmKernel,
} from './wasm-kernel-registry.ts';
import type { WasmKernelArgs } from './wasm-kernel-registry.ts';

/**
 * Largest strideHeight * strideWidth routed through XNNPACK: above it the
 * inserted zeros cost more than the original loop saves.
 */
export const MAX_STUFFED_STRIDE_AREA = 4;

/** How one spatial axis of the zero-stuffed dy is cropped and padded. */
export interface StuffedAxisPlan {
  /** First stuffed row kept, and one past the last. */
  begin: number;
  end: number;
  padBefore: number;
  padAfter: number;
}

/**
 * Plans one axis. Output row r reads stuffed rows r + u - t for
 * u < kernelSize, so rows -t ... inSize + kernelSize - 2 - t are needed;
 * those outside [0, stuffedSize) are zero padding.
 */
export function planInputGradientAxis(
  inSize: number,
  stuffedSize: number,
  kernelSize: number,
  padBefore: number,
): StuffedAxisPlan {
  const first = padBefore - (kernelSize - 1);
  const last = first + inSize + kernelSize - 1;
  const begin = Math.min(stuffedSize, Math.max(0, first));
  const end = Math.max(begin, Math.min(stuffedSize, last));
  return {
    begin,
    end,
    padBefore: begin - first,
    padAfter: last - end,
  };
}

/** Inserts stride - 1 zeros after every row and column of NHWC `dy`. */
function stuffWithZeros(
  backend: BackendWasm,
  dy: TensorInfo,
  strideHeight: number,
  strideWidth: number,
): TensorInfo {
  const [batch, height, width, channels] = dy.shape as number[];
  const reshape = (x: TensorInfo, shape: number[]): TensorInfo =>
    runWasmKernel('Reshape', backend, { x }, { shape });
  const padAxis2 = (x: TensorInfo, extra: number): TensorInfo =>
    runWasmKernel('PadV2', backend, { x }, {
      paddings: [[0, 0], [0, 0], [0, extra], [0, 0]],
      constantValue: 0,
    });

  // Rows: [n, h, 1, w * c] -> [n, h, sh, w * c] -> [n, h * sh, w, c].
  const rowsIn = reshape(dy, [batch!, height!, 1, width! * channels!]);
  const rowsPadded = padAxis2(rowsIn, strideHeight - 1);
  const tall = height! * strideHeight;

  // Columns: [n * h * sh, w, 1, c] -> [.., w, sw, c] -> [n, .., w * sw, c].
  const colsIn = reshape(rowsPadded, [batch! * tall, width!, 1, channels!]);
  const colsPadded = padAxis2(colsIn, strideWidth - 1);
  const stuffed = reshape(colsPadded, [
    batch!,
    tall,
    width! * strideWidth,
    channels!,
  ]);

  for (const info of [rowsIn, rowsPadded, colsIn, colsPadded]) {
    releaseTensorInfo(backend, info);
  }
  return stuffed;
}

function conv2dBackpropInput(
  original: KernelConfig,
  args: WasmKernelArgs,
): TensorInfo {
  const { backend } = args;
  const dy = args.inputs.dy as TensorInfo;
  const filter = args.inputs.filter as TensorInfo;
  const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
  const convInfo = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const { strideHeight, strideWidth, filterHeight, filterWidth } = convInfo;
  const isCheaper = strideHeight * strideWidth <= MAX_STUFFED_STRIDE_AREA;
  if (attrs.dataFormat === 'NCHW' || !isCheaper) {
    return original.kernelFunc(args) as TensorInfo;
  }

  const isStrided = strideHeight > 1 || strideWidth > 1;
  const stuffed = isStrided
    ? stuffWithZeros(backend, dy, strideHeight, strideWidth)
    : dy;
  const [batch, stuffedHeight, stuffedWidth, outChannels] =
    stuffed.shape as number[];
  const rows = planInputGradientAxis(
    convInfo.inHeight,
    stuffedHeight!,
    filterHeight,
    convInfo.padInfo.top,
  );
  const cols = planInputGradientAxis(
    convInfo.inWidth,
    stuffedWidth!,
    filterWidth,
    convInfo.padInfo.left,
  );

  const isCropped =
    rows.begin > 0 ||
    rows.end < stuffedHeight! ||
    cols.begin > 0 ||
    cols.end < stuffedWidth!;
  const window = isCropped
    ? runWasmKernel('Slice', backend, { x: stuffed }, {
        begin: [0, rows.begin, cols.begin, 0],
        size: [batch!, rows.end - rows.begin, cols.end - cols.begin,
          outChannels!],
      })
    : stuffed;

  // The filter turned by 180 degrees, in and out channels swapped.
  const turned = runWasmKernel('Reverse', backend, { x: filter }, {
    dims: [0, 1],
  });
  const swapped = runWasmKernel('Transpose', backend, { x: turned }, {
    perm: [0, 1, 3, 2],
  });
  const pad: ExplicitPadding = [
    [0, 0],
    [rows.padBefore, rows.padAfter],
    [cols.padBefore, cols.padAfter],
    [0, 0],
  ];
  const dx = runWasmKernel('Conv2D', backend, { x: window, filter: swapped }, {
    strides: [1, 1],
    pad,
    dataFormat: 'NHWC',
    dilations: [1, 1],
  });

  for (const info of [turned, swapped]) releaseTensorInfo(backend, info);
  if (isCropped) releaseTensorInfo(backend, window);
  if (isStrided) releaseTensorInfo(backend, stuffed);
  return dx;
}

/** Routes wasm Conv2DBackpropInput through XNNPACK; false if done. */
export function installConv2dBackpropInput(): boolean {
  return installWasmKernel('Conv2DBackpropInput', (previous) => {
    if (previous === undefined) {
      throw new HourglassError(
        'HG_KERNEL_MISSING',
        'wasm backend has no Conv2DBackpropInput kernel',
      );
    }
    const kernel = (args: WasmKernelArgs): TensorInfo =>
      conv2dBackpropInput(previous, args);
    return kernel as unknown as KernelFunc;
  });
}
