/**
 * Convolutions with TensorFlow's 'same' padding, computed here and passed
 * to the conv as explicit numbers. The wasm backend gets 'same' wrong when
 * the stride exceeds the kernel (kernel 7, stride 16 is off by up to 35 on
 * a 32x32 input) while explicit padding agrees with the cpu backend, so
 * the numbers are the same on every backend.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Zeros added before and after one spatial axis, and the output length. */
export interface AxisPadding {
  before: number;
  after: number;
  outputSize: number;
}

/**
 * The 'same' padding of one axis of length `inputSize` for a conv with
 * this kernel and stride: output ceil(in / stride), the total padding
 * split with the odd pixel after, as TensorFlow does.
 */
export function computeSamePadding(
  inputSize: number,
  kernelSize: number,
  stride: number,
): AxisPadding {
  const outputSize = Math.ceil(inputSize / stride);
  const total = Math.max((outputSize - 1) * stride + kernelSize - inputSize, 0);
  const before = Math.floor(total / 2);
  return { before, after: total - before, outputSize };
}

/**
 * conv2d with 'same' padding: x [n, h, w, a], filter [k, k, a, b] ->
 * [n, ceil(h / stride), ceil(w / stride), b].
 */
export function conv2dSame(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  stride: number,
): tf.Tensor4D {
  const [, height = 0, width = 0] = x.shape;
  const [kernelHeight = 0, kernelWidth = 0] = filter.shape;
  const rows = computeSamePadding(height, kernelHeight, stride);
  const columns = computeSamePadding(width, kernelWidth, stride);

  // The numbers go to the conv itself, not to a tf.pad before it: the
  // input gradient then covers only x, not x with its border.
  return tf.conv2d(x, filter, stride, [
    [0, 0],
    [rows.before, rows.after],
    [columns.before, columns.after],
    [0, 0],
  ]);
}

/**
 * conv2dTranspose with 'same' padding, the adjoint of conv2dSame:
 * x [n, h', w', b], filter [k, k, a, b] -> [n, height, width, a], where
 * ceil(height / stride) = h'. The 'valid' transposed conv paints every
 * input position in full; cropping its centre (the first
 * floor(excess / 2) rows and columns, as 'same' pads) or zero-filling its
 * end when it falls short is exactly TensorFlow's 'same'.
 */
export function conv2dTransposeSame(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  outputSize: readonly [number, number],
  stride: number,
): tf.Tensor4D {
  const [n = 0, inputHeight = 0, inputWidth = 0] = x.shape;
  const [kernelHeight = 0, kernelWidth = 0, depth = 0] = filter.shape;
  const [height, width] = outputSize;
  const fullHeight = (inputHeight - 1) * stride + kernelHeight;
  const fullWidth = (inputWidth - 1) * stride + kernelWidth;
  const fullShape: [number, number, number, number] = [n, fullHeight, fullWidth, depth];
  const full = tf.conv2dTranspose(x, filter, fullShape, stride, 'valid');

  const top = Math.max(Math.floor((fullHeight - height) / 2), 0);
  const left = Math.max(Math.floor((fullWidth - width) / 2), 0);
  const cropped = tf.slice(full, [0, top, left, 0], [
    -1,
    Math.min(height, fullHeight),
    Math.min(width, fullWidth),
    -1,
  ]);

  const missingRows = Math.max(height - fullHeight, 0);
  const missingColumns = Math.max(width - fullWidth, 0);
  if (missingRows + missingColumns === 0) return cropped;
  return tf.pad(cropped, [
    [0, 0],
    [0, missingRows],
    [0, missingColumns],
    [0, 0],
  ]);
}
