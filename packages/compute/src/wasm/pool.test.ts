import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  assertWasmMatchesCpu,
  prepareBackends,
  randomTensor,
  valueAndGradients,
} from '../testing/wasm-cpu-comparison.ts';

type PoolOp = 'maxPool' | 'avgPool';

interface PoolCase {
  inputShape: [number, number, number, number];
  size: number;
  stride: number;
  pad: 'same' | 'valid' | number;
}

const CASES: PoolCase[] = [
  { inputShape: [2, 32, 32, 3], size: 4, stride: 4, pad: 'valid' },
  { inputShape: [2, 32, 32, 3], size: 2, stride: 2, pad: 'valid' },
  { inputShape: [2, 32, 32, 3], size: 4, stride: 4, pad: 'same' },
  { inputShape: [2, 32, 32, 3], size: 3, stride: 2, pad: 'same' },
  { inputShape: [2, 33, 30, 3], size: 3, stride: 4, pad: 'same' },
  { inputShape: [2, 16, 16, 5], size: 3, stride: 1, pad: 1 },
];

function pool(op: PoolOp, c: PoolCase) {
  return (x: tf.Tensor) =>
    tf[op](x as tf.Tensor4D, c.size, c.stride, c.pad);
}

describe('pooling on wasm matches cpu', () => {
  before(prepareBackends);

  for (const op of ['maxPool', 'avgPool'] as const) {
    for (const c of CASES) {
      const name = `${op} [${c.inputShape.join(',')}] ${c.size}x${c.size} `
        + `stride ${c.stride} ${c.pad}`;

      test(`${name}: forward and gradient`, async () => {
        await assertWasmMatchesCpu(
          () => valueAndGradients(pool(op, c), [randomTensor(c.inputShape, 5)]),
          ['forward', 'gradient'],
        );
      });
    }
  }

  // The original wasm MaxPoolGrad starts each window's search at the
  // smallest positive float, so all-negative windows lost their gradient.
  test('maxPool [2,8,8,3] 2x2 stride 2 of negative values: gradient',
    async () => {
      const c: PoolCase = { inputShape: [2, 8, 8, 3], size: 2, stride: 2,
        pad: 'valid' };
      await assertWasmMatchesCpu(
        () => {
          const negative = tf.sub(tf.abs(randomTensor(c.inputShape, 6)), 2);
          return valueAndGradients(pool('maxPool', c), [negative]);
        },
        ['forward', 'gradient'],
      );
    });

  // Ties (ReLU zeros) must send the gradient to the first maximum.
  test('maxPool [2,8,8,3] 2x2 stride 2 after relu: gradient', async () => {
    const c: PoolCase = { inputShape: [2, 8, 8, 3], size: 2, stride: 2,
      pad: 'valid' };
    await assertWasmMatchesCpu(
      () => {
        const rectified = tf.relu(randomTensor(c.inputShape, 8));
        return valueAndGradients(pool('maxPool', c), [rectified]);
      },
      ['forward', 'gradient'],
    );
  });
});
