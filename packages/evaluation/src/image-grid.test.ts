import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';

import { renderFilterGrid } from './filter-grid.ts';
import { encodeTileGrid } from './image-grid.ts';
import { renderReconstructionGrid } from './reconstruction-grid.ts';
import { useWasmBackend } from './test-support.ts';

/** The RGB of pixel (x, y) of a decoded PNG. */
function pixel(png: PNG, x: number, y: number): number[] {
  const i = (y * png.width + x) * 4;
  return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
}

describe('encodeTileGrid', () => {
  it('lays tiles out row by row with padding, scaled by nearest pixel', () => {
    const red = { height: 1, width: 1, rgb: Float32Array.from([1, 0, 0]) };
    const blue = { height: 1, width: 1, rgb: Float32Array.from([0, 0, 1]) };

    const png = PNG.sync.read(
      encodeTileGrid([red, blue, red], { columns: 2, scale: 2, padding: 1 }),
    );

    // 2 columns x (2 + 1) + 1 = 7 wide; 2 rows x 3 + 1 = 7 high.
    assert.deepEqual([png.width, png.height], [7, 7]);
    assert.deepEqual(pixel(png, 1, 1), [255, 0, 0]);
    assert.deepEqual(pixel(png, 2, 2), [255, 0, 0]);
    assert.deepEqual(pixel(png, 4, 1), [0, 0, 255]);
    assert.deepEqual(pixel(png, 1, 4), [255, 0, 0]);
    assert.deepEqual(pixel(png, 0, 0), [255, 255, 255]);
  });
});

describe('renderFilterGrid', () => {
  before(useWasmBackend);

  it('draws each kernel from its own minimum to its own maximum', () => {
    // Two 1 x 2 colour kernels with very different magnitudes.
    const values = [
      // pixel 0: rgb of kernel 0, kernel 1 interleaved by output channel
      -1, 0.001, -1, 0.001, -1, 0.001,
      1, 0.003, 1, 0.003, 1, 0.003,
    ];
    const kernels = tf.tensor4d(values, [1, 2, 3, 2]);

    const png = PNG.sync.read(
      renderFilterGrid(kernels, { columns: 2, scale: 1, padding: 1 }),
    );

    assert.deepEqual([png.width, png.height], [7, 3]);
    assert.deepEqual(pixel(png, 1, 1), [0, 0, 0]);
    assert.deepEqual(pixel(png, 2, 1), [255, 255, 255]);
    assert.deepEqual(pixel(png, 4, 1), [0, 0, 0]);
    assert.deepEqual(pixel(png, 5, 1), [255, 255, 255]);
    kernels.dispose();
  });

  it('draws one grey tile per input channel when there are not 3', () => {
    const kernels = tf.ones([3, 3, 2, 4]) as tf.Tensor4D;

    const png = PNG.sync.read(
      renderFilterGrid(kernels, { columns: 8, scale: 1, padding: 1 }),
    );

    assert.deepEqual([png.width, png.height], [8 * 4 + 1, 5]);
    assert.deepEqual(pixel(png, 1, 1), [128, 128, 128]);
    kernels.dispose();
  });
});

describe('renderReconstructionGrid', () => {
  before(useWasmBackend);

  it('puts inputs, outputs and the third row below each other', () => {
    const inputs = tf.fill([3, 2, 2, 1], 0.5) as tf.Tensor4D;
    const outputs = tf.zeros([3, 2, 2, 3]) as tf.Tensor4D;
    const extra = tf.tidy(() =>
      tf.concat([tf.ones([3, 2, 2, 1]), tf.zeros([3, 2, 2, 2])], 3),
    ) as tf.Tensor4D;

    const png = PNG.sync.read(
      renderReconstructionGrid(
        { inputs, outputs, extra },
        { scale: 1, padding: 1, maxImages: 2 },
      ),
    );

    assert.deepEqual([png.width, png.height], [2 * 3 + 1, 3 * 3 + 1]);
    assert.deepEqual(pixel(png, 1, 1), [128, 128, 128]);
    assert.deepEqual(pixel(png, 1, 4), [0, 0, 0]);
    assert.deepEqual(pixel(png, 4, 7), [255, 0, 0]);
    tf.dispose([inputs, outputs, extra]);
  });

  it('refuses batches of different lengths', () => {
    const inputs = tf.zeros([2, 2, 2, 3]) as tf.Tensor4D;
    const outputs = tf.zeros([3, 2, 2, 3]) as tf.Tensor4D;

    assert.throws(
      () => renderReconstructionGrid({ inputs, outputs }),
      /expected \[2, h, w, 1 or 3\]/,
    );
    tf.dispose([inputs, outputs]);
  });
});
