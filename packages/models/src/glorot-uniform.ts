/**
 * Seeded Glorot (Xavier) uniform initialisation (Glorot and Bengio 2010):
 * weights uniform in [-limit, limit], limit = sqrt(6 / (fanIn + fanOut)).
 * The numbers come from the project's seeded generator, not from the
 * backend's, so a seed gives the same initial weights on every backend.
 */
import { createRandom } from '@hourglass/common';

/**
 * Draws Glorot-uniform values for a conv kernel [kh, kw, a, b], with fans
 * counted as Keras does: kh * kw * a in, kh * kw * b out.
 */
export function glorotUniformKernel(
  shape: readonly [number, number, number, number],
  seed: number,
): Float32Array {
  const [height, width, depthIn, depthOut] = shape;
  const receptiveField = height * width;
  const limit = Math.sqrt(6 / (receptiveField * (depthIn + depthOut)));

  const random = createRandom(seed);
  const values = new Float32Array(receptiveField * depthIn * depthOut);
  for (let i = 0; i < values.length; i += 1) {
    values[i] = (2 * random() - 1) * limit;
  }
  return values;
}

/**
 * Draws Glorot-uniform values for a fully connected kernel [in, out]:
 * limit sqrt(6 / (in + out)).
 */
export function glorotUniformMatrix(
  shape: readonly [number, number],
  seed: number,
): Float32Array {
  const [fanIn, fanOut] = shape;
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const random = createRandom(seed);
  const values = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < values.length; i += 1) {
    values[i] = (2 * random() - 1) * limit;
  }
  return values;
}
