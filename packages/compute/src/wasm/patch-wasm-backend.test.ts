import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  prepareBackends,
  randomTensor,
} from '../testing/wasm-cpu-comparison.ts';
import { planFilterGradientAxis } from './conv2d-backprop-filter.ts';
import { planInputGradientAxis } from './conv2d-backprop-input.ts';
import { samePaddingAsExplicit } from './explicit-same-padding.ts';
import { patchWasmBackend } from './patch-wasm-backend.ts';
import { isInstalledWasmKernel } from './wasm-kernel-registry.ts';

describe('patchWasmBackend', () => {
  before(prepareBackends);

  test('installs every workaround once and is a no-op afterwards', () => {
    const kernelFuncs = () =>
      ['Conv2D', 'Conv2DBackpropFilter', 'MaxPoolGrad'].map(
        (name) => tf.getKernel(name, 'wasm')?.kernelFunc,
      );
    const before = kernelFuncs();

    assert.deepEqual(patchWasmBackend(), []);
    assert.deepEqual(kernelFuncs(), before);
    for (const name of [
      'Conv2D',
      'FusedConv2D',
      'DepthwiseConv2dNative',
      'FusedDepthwiseConv2D',
      'Conv2DBackpropFilter',
      'Conv2DBackpropInput',
      'MaxPoolGrad',
      'ResizeBilinearGrad',
      'BatchMatMul',
      '_FusedMatMul',
      'Slice',
    ]) {
      assert.ok(isInstalledWasmKernel(name), `${name} is patched`);
    }
  });

  test('leaves no intermediate wasm buffers behind', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as tf.KernelBackend;
    const step = () =>
      tf.tidy(() => {
        const x = randomTensor([2, 32, 32, 3], 1) as tf.Tensor4D;
        const filter = randomTensor([7, 7, 3, 8], 2) as tf.Tensor4D;
        const loss = (a: tf.Tensor, w: tf.Tensor) =>
          tf.sum(
            tf.maxPool(
              tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'),
              2,
              2,
              'same',
            ),
          );
        tf.grads(loss)([x, filter]).forEach((g) => g.dataSync());
      });

    step();
    const dataIds = backend.numDataIds();
    const tensors = tf.memory().numTensors;
    step();
    assert.equal(backend.numDataIds(), dataIds);
    assert.equal(tf.memory().numTensors, tensors);
  });

  test('same padding of 32 by 7 with stride 16 is zero, as in TensorFlow',
    () => {
      const geometry = { strides: 16, dilations: 1 };
      assert.deepEqual(
        samePaddingAsExplicit([2, 32, 32, 3], [7, 7, 3, 64], geometry, false),
        [[0, 0], [0, 0], [0, 0], [0, 0]],
      );
      assert.deepEqual(
        samePaddingAsExplicit([2, 32, 32, 3], [4, 4, 3, 8], {
          strides: 1,
          dilations: 1,
        }, false),
        [[0, 0], [1, 2], [1, 2], [0, 0]],
      );
    });

  test('filter gradient of 32 by 7 with stride 16 crops rows 23 to 31',
    () => {
      // Outputs at rows 0 and 16 read rows 0..22 only.
      assert.deepEqual(planFilterGradientAxis(32, 2, 7, 16, 0), {
        usedSize: 23,
        padBefore: 0,
        padAfter: 0,
      });
      // 'same' 3x3 stride 1 reads one padding row on each side.
      assert.deepEqual(planFilterGradientAxis(8, 8, 3, 1, 1), {
        usedSize: 8,
        padBefore: 1,
        padAfter: 1,
      });
    });

  test('input gradient of 9 by 3 with stride 1 and pad 4 crops dy', () => {
    // dy has 9 + 8 - 3 + 1 = 15 rows; dx row r reads dy rows r + 2 ... r + 4.
    assert.deepEqual(planInputGradientAxis(9, 15, 3, 4), {
      begin: 2,
      end: 13,
      padBefore: 0,
      padAfter: 0,
    });
    // 'same' 3x3 stride 1 on 8 rows: one zero row on each side.
    assert.deepEqual(planInputGradientAxis(8, 8, 3, 1), {
      begin: 0,
      end: 8,
      padBefore: 1,
      padAfter: 1,
    });
  });
});
