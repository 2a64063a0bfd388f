import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  assertWasmMatchesCpu,
  prepareBackends,
  randomTensor,
  valueAndGradients,
} from '../testing/wasm-cpu-comparison.ts';

type Pad = 'same' | 'valid' | number;

interface ConvCase {
  inputShape: [number, number, number, number];
  kernelSize: number;
  stride: number | [number, number];
  pad: Pad;
  outChannels: number;
}

const LABELS = ['forward', 'gradient wrt input', 'gradient wrt filter'];

function describeCase(c: ConvCase): string {
  const filter = [c.kernelSize, c.kernelSize, c.inputShape[3], c.outChannels];
  return `[${c.inputShape.join(',')}] * [${filter.join(',')}] ` +
    `stride ${String(c.stride)} pad ${c.pad}`;
}

function convCase(c: ConvCase) {
  const filterShape = [c.kernelSize, c.kernelSize, c.inputShape[3],
    c.outChannels];
  return () =>
    valueAndGradients(
      (x, filter) =>
        tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, c.stride, c.pad),
      [randomTensor(c.inputShape, 1), randomTensor(filterShape, 2)],
    );
}

const SHAPE_32: [number, number, number, number] = [2, 32, 32, 3];

const CASES: ConvCase[] = [
  { inputShape: SHAPE_32, kernelSize: 7, stride: 16, pad: 'same',
    outChannels: 64 },
  { inputShape: SHAPE_32, kernelSize: 7, stride: 16, pad: 'valid',
    outChannels: 64 },
  { inputShape: SHAPE_32, kernelSize: 7, stride: 8, pad: 'same',
    outChannels: 64 },
  { inputShape: SHAPE_32, kernelSize: 3, stride: 4, pad: 'same',
    outChannels: 64 },
  { inputShape: SHAPE_32, kernelSize: 5, stride: 4, pad: 'same',
    outChannels: 64 },
  { inputShape: SHAPE_32, kernelSize: 3, stride: 1, pad: 'same',
    outChannels: 64 },
  { inputShape: SHAPE_32, kernelSize: 3, stride: 2, pad: 'same',
    outChannels: 64 },
  { inputShape: [2, 64, 64, 3], kernelSize: 7, stride: 16, pad: 'same',
    outChannels: 64 },
  // Explicit numbers, odd sizes, unequal strides and a pad wider than the
  // kernel reach the cropping branches of both gradient kernels.
  { inputShape: SHAPE_32, kernelSize: 3, stride: 2, pad: 1,
    outChannels: 8 },
  { inputShape: [2, 33, 31, 4], kernelSize: 4, stride: 3, pad: 'same',
    outChannels: 8 },
  { inputShape: [2, 17, 20, 4], kernelSize: 3, stride: [1, 2], pad: 'same',
    outChannels: 8 },
  { inputShape: [2, 9, 9, 4], kernelSize: 3, stride: 1, pad: 4,
    outChannels: 8 },
  { inputShape: [2, 9, 9, 4], kernelSize: 2, stride: 2, pad: 'valid',
    outChannels: 8 },
];

describe('conv2d on wasm matches cpu', () => {
  before(prepareBackends);

  for (const c of CASES) {
    test(`${describeCase(c)}: forward, dx and dW`, async () => {
      await assertWasmMatchesCpu(convCase(c), LABELS);
    });
  }

  test('fused conv2d [2,32,32,3] * [7,7,3,16] stride 16 same, bias and '
    + 'relu: forward and all gradients', async () => {
    await assertWasmMatchesCpu(
      () =>
        valueAndGradients(
          (x, filter, bias) =>
            tf.fused.conv2d({
              x: x as tf.Tensor4D,
              filter: filter as tf.Tensor4D,
              bias,
              strides: 16,
              pad: 'same',
              activation: 'relu',
            }),
          [
            randomTensor(SHAPE_32, 1),
            randomTensor([7, 7, 3, 16], 2),
            randomTensor([16], 3),
          ],
        ),
      ['forward', 'dx', 'dW', 'dBias'],
    );
  });

  test('depthwise conv2d [2,32,32,3] * [7,7,3,2] stride 16 same: forward',
    async () => {
      await assertWasmMatchesCpu(
        () => [
          tf.depthwiseConv2d(
            randomTensor(SHAPE_32, 1) as tf.Tensor4D,
            randomTensor([7, 7, 3, 2], 2) as tf.Tensor4D,
            16,
            'same',
          ),
        ],
        ['forward'],
      );
    });
});
