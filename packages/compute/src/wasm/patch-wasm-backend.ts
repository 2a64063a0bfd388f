/**
 * Makes the wasm backend give correct forward passes and gradients for the
 * ops our models use, and removes two slow paths. Each workaround lives in
 * its own file, which says what is wrong in tfjs-backend-wasm 4.22 and why
 * the fix is right.
 */
import '../register-gradients.ts';
import '@tensorflow/tfjs-backend-wasm';
import { installConv2dBackpropFilter } from './conv2d-backprop-filter.ts';
import { installConv2dBackpropInput } from './conv2d-backprop-input.ts';
import { installExplicitSamePadding } from './explicit-same-padding.ts';
import { installMatMulRightFactorGuard } from './mat-mul-right-factor.ts';
import { installMaxPoolGrad } from './max-pool-grad.ts';
import { installResizeBilinearGrad } from './resize-bilinear-grad.ts';
import { installSliceFromHeap } from './slice-from-heap.ts';

/**
 * Installs the wasm kernel workarounds into tfjs-core's kernel registry.
 * Idempotent, and safe before or after the wasm backend is initialised.
 * Returns the kernels this call installed (empty when already patched).
 */
export function patchWasmBackend(): string[] {
  const installed = [
    ...installExplicitSamePadding(),
    ...installMatMulRightFactorGuard(),
  ];
  if (installConv2dBackpropFilter()) installed.push('Conv2DBackpropFilter');
  if (installConv2dBackpropInput()) installed.push('Conv2DBackpropInput');
  if (installMaxPoolGrad()) installed.push('MaxPoolGrad');
  if (installResizeBilinearGrad()) installed.push('ResizeBilinearGrad');
  if (installSliceFromHeap()) installed.push('Slice');
  return installed;
}
