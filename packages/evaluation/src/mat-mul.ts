/**
 * Matrix products that are fast and correct on every tfjs backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';

/**
 * The shape each data buffer last had as a right-hand factor. tfjs's
 * `reshape` shares its input's buffer, and the wasm backend (4.22)
 * caches XNNPACK's packed right-hand factor by buffer, not by shape: a
 * product whose right factor reuses a buffer that was a right factor
 * under another shape silently returns the stale packing (seen here:
 * [1, 4] after [4, 1] gave [1, 0, 0, 0]). Such a factor is copied first.
 */
const rightFactorShapes = new WeakMap<object, string>();

/**
 * a · b, or with either factor transposed, as a plain 2-D product.
 *
 * The wasm backend hands a matMul with a transpose flag to a scalar loop
 * that measured about 30 times slower than XNNPACK's product; an explicit
 * transpose costs one pass over the factor, so every product here
 * transposes first and multiplies without flags.
 */
export function multiplyMatrices(
  a: Tensor2D,
  b: Tensor2D,
  transposeA = false,
  transposeB = false,
): Tensor2D {
  return tf.tidy(() => {
    const left = transposeA ? transposeMatrix(a) : a;
    const right = asRightFactor(transposeB ? transposeMatrix(b) : b);
    return tf.matMul(left, right);
  });
}

/** The transpose of a matrix; a row or column vector is only reshaped. */
export function transposeMatrix(a: Tensor2D): Tensor2D {
  const [rows, columns] = a.shape;
  if (rows === 1 || columns === 1) return tf.reshape(a, [columns, rows]);
  return tf.transpose(a);
}

/** b itself, or a copy when its buffer was a right factor of another shape. */
function asRightFactor(b: Tensor2D): Tensor2D {
  const shape = b.shape.join('x');
  const seen = rightFactorShapes.get(b.dataId);
  if (seen === undefined || seen === shape) {
    rightFactorShapes.set(b.dataId, shape);
    return b;
  }
  const copy = tf.add(b, tf.scalar(0)) as Tensor2D;
  rightFactorShapes.set(copy.dataId, shape);
  return copy;
}
