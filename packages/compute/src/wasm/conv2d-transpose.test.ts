import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  assertWasmMatchesCpu,
  prepareBackends,
  randomTensor,
  valueAndGradients,
} from '../testing/wasm-cpu-comparison.ts';

interface TransposeCase {
  inputShape: [number, number, number, number];
  outputShape: [number, number, number, number];
  kernelSize: number;
  stride: number;
  pad: 'same' | 'valid';
}

const LABELS = ['forward', 'gradient wrt input', 'gradient wrt filter'];

const CASES: TransposeCase[] = [
  { inputShape: [2, 2, 2, 64], outputShape: [2, 32, 32, 3], kernelSize: 16,
    stride: 16, pad: 'same' },
  { inputShape: [2, 2, 2, 64], outputShape: [2, 32, 32, 3], kernelSize: 7,
    stride: 16, pad: 'same' },
  // Strides 1 and 2 take the XNNPACK route of Conv2DBackpropInput.
  { inputShape: [2, 16, 16, 8], outputShape: [2, 32, 32, 3], kernelSize: 4,
    stride: 2, pad: 'same' },
  { inputShape: [2, 15, 15, 8], outputShape: [2, 31, 31, 3], kernelSize: 3,
    stride: 2, pad: 'valid' },
  { inputShape: [2, 8, 8, 8], outputShape: [2, 8, 8, 3], kernelSize: 5,
    stride: 1, pad: 'same' },
];

describe('conv2dTranspose on wasm matches cpu', () => {
  before(prepareBackends);

  for (const c of CASES) {
    const filterShape = [c.kernelSize, c.kernelSize, c.outputShape[3],
      c.inputShape[3]];
    const name = `[${c.inputShape.join(',')}] -> [${c.outputShape.join(',')}]`
      + ` kernel ${c.kernelSize} stride ${c.stride} ${c.pad}`;

    test(`${name}: forward, dx and dW`, async () => {
      await assertWasmMatchesCpu(
        () =>
          valueAndGradients(
            (x, filter) =>
              tf.conv2dTranspose(
                x as tf.Tensor4D,
                filter as tf.Tensor4D,
                c.outputShape,
                c.stride,
                c.pad,
              ),
            [randomTensor(c.inputShape, 3), randomTensor(filterShape, 4)],
          ),
        LABELS,
      );
    });
  }
});
