/**
 * Matrix products that are fast and correct on every tfjs backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';

/**
 * a · b, or with either factor transposed, as a plain 2-D product.
 *
 * The wasm backend hands a matMul with a transpose flag to a scalar loop
 * that measured about 30 times slower than XNNPACK's product; an explicit
 * transpose costs one pass over the factor, so every product here
 * transposes first and multiplies without flags.
 *
 * A right factor may share its buffer with a tensor of another shape
 * (`transposeMatrix` reshapes vectors): the wasm backend of tfjs 4.22
 * would reuse a stale packing of such a buffer, which the kernel patch
 * of @hourglass/compute (`patchWasmBackend`, applied by
 * `resolveBackend`) prevents for every matMul in the process.
 */
export function multiplyMatrices(
  a: Tensor2D,
  b: Tensor2D,
  transposeA = false,
  transposeB = false,
): Tensor2D {
  return tf.tidy(() => {
    const left = transposeA ? transposeMatrix(a) : a;
    const right = transposeB ? transposeMatrix(b) : b;
    return tf.matMul(left, right);
  });
}

/** The transpose of a matrix; a row or column vector is only reshaped. */
export function transposeMatrix(a: Tensor2D): Tensor2D {
  const [rows, columns] = a.shape;
  if (rows === 1 || columns === 1) return tf.reshape(a, [columns, rows]);
  return tf.transpose(a);
}
