import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';

import { renderGabor } from './gabor.ts';
import type { GaborParameters } from './gabor.ts';
import { fitGabor, scoreGaborKernels } from './gabor-fit.ts';
import { gaussianValues, useWasmBackend } from './test-support.ts';

/** Off the search grid in every parameter. */
const PLANTED: GaborParameters = {
  orientation: 0.7,
  frequency: 0.21,
  phase: 1.1,
  sigmaAlong: 1.6,
  sigmaAcross: 2.3,
  centerX: 0.4,
  centerY: -0.3,
};

/** The planted Gabor in three channels with their own gains and offsets. */
function colourGabor(size: number): Float64Array {
  const gabor = renderGabor(PLANTED, size, size);
  const kernel = new Float64Array(size * size * 3);
  const gains = [0.8, -0.3, 0.5];
  const offsets = [0.1, 0, -0.2];
  gabor.forEach((value, p) => {
    for (let c = 0; c < 3; c += 1) {
      kernel[p * 3 + c] = gains[c]! * value + offsets[c]!;
    }
  });
  return kernel;
}

describe('fitGabor', () => {
  it('scores a kernel drawn as an exact Gabor above 0.95', () => {
    const kernel = renderGabor(PLANTED, 9, 9);

    const fit = fitGabor(kernel, 9, 9);

    assert.ok(fit.varianceExplained > 0.95, `${fit.varianceExplained}`);
    assert.ok(Math.abs(fit.parameters.frequency - 0.21) < 0.03);
  });

  it('scores a colour Gabor with different gains per channel', () => {
    const fit = fitGabor(colourGabor(7), 7, 7, 3);

    assert.ok(fit.varianceExplained > 0.95, `${fit.varianceExplained}`);
  });

  it('scores white noise low', () => {
    const scores = [1, 2, 3, 4, 5].map(
      (seed) => fitGabor(gaussianValues(49, seed), 7, 7).varianceExplained,
    );

    assert.ok(Math.max(...scores) < 0.5, `${scores}`);
  });

  it('gives 0 for a constant kernel', () => {
    const flat = new Float64Array(25).fill(3);

    assert.equal(fitGabor(flat, 5, 5).varianceExplained, 0);
  });
});

describe('scoreGaborKernels', () => {
  before(useWasmBackend);

  it('scores each output channel of a first layer and takes the median', () => {
    const size = 7;
    const gabor = colourGabor(size);
    const noise = gaussianValues(size * size * 3, 9);
    const values = new Float32Array(size * size * 3 * 3);
    for (let i = 0; i < size * size * 3; i += 1) {
      values[i * 3] = gabor[i]!;
      values[i * 3 + 1] = noise[i]!;
      values[i * 3 + 2] = gabor[i]! * 2;
    }
    const kernels = tf.tensor4d(values, [size, size, 3, 3]);

    const { scores, median, fits } = scoreGaborKernels(kernels);

    assert.equal(fits.length, 3);
    assert.ok(scores[0]! > 0.95 && scores[2]! > 0.95);
    assert.ok(scores[1]! < 0.6);
    assert.equal(median, [...scores].sort()[1]);
    kernels.dispose();
  });
});
