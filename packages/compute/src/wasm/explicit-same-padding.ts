/**
 * Workaround: the wasm backend's convolutions get 'same' padding wrong when
 * the stride is larger than the (dilated) kernel.
 *
 * Why it exists: Conv2D, FusedConv2D, DepthwiseConv2dNative and
 * FusedDepthwiseConv2D in tfjs-backend-wasm 4.22 do not pass the padding
 * that tfjs-core computes to XNNPACK; for 'same' they set XNNPACK's own
 * TensorFlow-SAME flag, which computes a negative total padding when
 * (out - 1) * stride + kernel < in, where TensorFlow clamps it to zero.
 * A 7x7 kernel with stride 16 on 32x32 (and 7/8, 3/4) then reads the wrong
 * pixels: outputs differ from the cpu backend by O(1). With explicit pad
 * numbers the same kernels agree with cpu to float precision, so the
 * wrapper below turns 'same' into TensorFlow's pad numbers
 * (total = max(0, (out - 1) * stride + kernel - in), the odd pixel at the
 * bottom/right) before calling the original kernel. Pooling kernels pass
 * explicit numbers already and are not affected.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  Conv2DAttrs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { installWasmKernel, WASM_BACKEND } from './wasm-kernel-registry.ts';
import type { WasmKernelArgs } from './wasm-kernel-registry.ts';

/** Pad numbers per NHWC axis: [[0, 0], [top, bottom], [left, right], [0, 0]] */
export type ExplicitPadding = Exclude<Conv2DAttrs['pad'], string | number>;

/** The wasm kernels whose 'same' padding is rewritten, and if depthwise. */
export const SAME_PADDING_KERNELS: ReadonlyArray<{
  kernelName: string;
  isDepthwise: boolean;
}> = [
  { kernelName: 'Conv2D', isDepthwise: false },
  { kernelName: 'FusedConv2D', isDepthwise: false },
  { kernelName: 'DepthwiseConv2dNative', isDepthwise: true },
  { kernelName: 'FusedDepthwiseConv2D', isDepthwise: true },
];

/**
 * TensorFlow's 'same' padding for an NHWC convolution, as explicit numbers.
 * `filterShape` is [height, width, ...]; dilations widen the kernel.
 */
export function samePaddingAsExplicit(
  inputShape: readonly number[],
  filterShape: readonly number[],
  attrs: Pick<Conv2DAttrs, 'strides' | 'dilations' | 'dimRoundingMode'>,
  isDepthwise: boolean,
): ExplicitPadding {
  const convInfo = tf.backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    'same',
    attrs.dimRoundingMode,
    isDepthwise,
    'channelsLast',
  );
  const { top, bottom, left, right } = convInfo.padInfo;
  return [[0, 0], [top, bottom], [left, right], [0, 0]];
}

function withExplicitSamePadding(
  original: KernelConfig,
  isDepthwise: boolean,
): KernelFunc {
  const kernel = (args: WasmKernelArgs): TensorInfo | TensorInfo[] => {
    const attrs = args.attrs as Partial<Conv2DAttrs> | undefined;

    // NCHW is rejected by the wasm kernels themselves; leave that to them.
    const isChannelsLast = (attrs?.dataFormat ?? 'NHWC') === 'NHWC';
    if (attrs?.pad !== 'same' || !isChannelsLast) {
      return original.kernelFunc(args);
    }

    const x = args.inputs.x as TensorInfo;
    const filter = args.inputs.filter as TensorInfo;
    const geometry = {
      strides: attrs.strides ?? 1,
      dilations: attrs.dilations ?? 1,
      dimRoundingMode: attrs.dimRoundingMode,
    };
    const pad = samePaddingAsExplicit(
      x.shape,
      filter.shape,
      geometry,
      isDepthwise,
    );
    return original.kernelFunc({ ...args, attrs: { ...args.attrs, pad } });
  };
  return kernel as KernelFunc;
}

/**
 * Wraps each registered wasm convolution kernel so 'same' becomes explicit
 * pad numbers. Returns the names of the kernels wrapped by this call.
 */
export function installExplicitSamePadding(): string[] {
  const wrapped: string[] = [];
  for (const { kernelName, isDepthwise } of SAME_PADDING_KERNELS) {
    const original = tf.getKernel(kernelName, WASM_BACKEND);
    if (original === undefined) continue;

    const isNew = installWasmKernel(kernelName, () =>
      withExplicitSamePadding(original, isDepthwise),
    );
    if (isNew) wrapped.push(kernelName);
  }
  return wrapped;
}
