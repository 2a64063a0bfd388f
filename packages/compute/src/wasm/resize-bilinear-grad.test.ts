import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  assertWasmMatchesCpu,
  prepareBackends,
  randomTensor,
  valueAndGradients,
} from '../testing/wasm-cpu-comparison.ts';
import { bilinearSamples } from './resize-bilinear-grad.ts';

interface ResizeCase {
  inputShape: [number, number, number, number];
  size: [number, number];
  alignCorners: boolean;
  halfPixelCenters: boolean;
}

function describeCase(c: ResizeCase): string {
  const flags = c.alignCorners ? 'align corners' :
    c.halfPixelCenters ? 'half-pixel centers' : 'plain';
  return `[${c.inputShape.join(',')}] -> ${c.size.join('x')} ${flags}`;
}

function resize(c: ResizeCase) {
  return (x: tf.Tensor) =>
    tf.image.resizeBilinear(
      x as tf.Tensor4D,
      c.size,
      c.alignCorners,
      c.halfPixelCenters,
    );
}

const FLAGS = [
  { alignCorners: false, halfPixelCenters: false },
  { alignCorners: true, halfPixelCenters: false },
  { alignCorners: false, halfPixelCenters: true },
];

describe('resizeBilinear gradient on wasm', () => {
  before(prepareBackends);

  test('samples of 2 -> 4 with half-pixel centers follow TensorFlow', () => {
    const samples = bilinearSamples(2, 4, false, true);
    assert.deepEqual(samples, [
      { low: 0, high: 0, fraction: 0.75 },
      { low: 0, high: 1, fraction: 0.25 },
      { low: 0, high: 1, fraction: 0.75 },
      { low: 1, high: 1, fraction: 0.25 },
    ]);
  });

  // The cpu backend's gradient gets non-square shapes wrong, so the
  // comparison with it uses square images only.
  for (const flags of FLAGS.slice(0, 2)) {
    const c: ResizeCase = { inputShape: [2, 5, 5, 3], size: [11, 11],
      ...flags };
    test(`${describeCase(c)}: forward and gradient match cpu`, async () => {
      await assertWasmMatchesCpu(
        () => valueAndGradients(resize(c), [randomTensor(c.inputShape, 1)]),
        ['forward', 'gradient'],
      );
    });
  }

  // <resize(x), r> = <x, gradient of sum(resize(x) * r)> for every x, r:
  // the gradient is the adjoint of the forward resize.
  const shapes: Array<[[number, number, number, number], [number, number]]> =
    [[[2, 5, 7, 3], [11, 9]], [[2, 9, 6, 2], [4, 3]], [[1, 4, 4, 1], [8, 8]]];
  for (const flags of FLAGS) {
    for (const [inputShape, size] of shapes) {
      const c: ResizeCase = { inputShape, size, ...flags };
      test(`${describeCase(c)}: gradient is the adjoint of the forward`,
        async () => {
          await tf.setBackend('wasm');
          const [forward, gradient] = tf.tidy(() => {
            const x = randomTensor(c.inputShape, 2);
            const [y, dx] = valueAndGradients(resize(c), [x], 3);
            const r = randomTensor(y!.shape, 3);
            return [
              tf.sum(tf.mul(y!, r)).dataSync()[0]!,
              tf.sum(tf.mul(x, dx!)).dataSync()[0]!,
            ];
          });
          const scale = Math.max(1, Math.abs(forward));
          assert.ok(
            Math.abs(forward - gradient) <= 1e-4 * scale,
            `<resize(x), r> = ${forward}, <x, dx> = ${gradient}`,
          );
        });
    }
  }
});
