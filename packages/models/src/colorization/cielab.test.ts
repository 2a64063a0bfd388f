import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

import { ShapeError } from '@hourglass/common';

import { convertSrgbToLab, convertLabToSrgb, type SrgbColor } from './cielab.ts';
import { convertLabImagesToSrgb, convertSrgbImagesToLab } from './cielab-ops.ts';

// Reference values of the sRGB primaries and greys (D65, 2 degrees).
const KNOWN: { name: string; rgb: SrgbColor; lab: [number, number, number] }[] = [
  { name: 'white', rgb: [1, 1, 1], lab: [100, 0, 0] },
  { name: 'black', rgb: [0, 0, 0], lab: [0, 0, 0] },
  { name: 'red', rgb: [1, 0, 0], lab: [53.2408, 80.0925, 67.2032] },
  { name: 'green', rgb: [0, 1, 0], lab: [87.7347, -86.1827, 83.1793] },
  { name: 'blue', rgb: [0, 0, 1], lab: [32.2970, 79.1875, -107.8602] },
  { name: 'mid grey', rgb: [0.5, 0.5, 0.5], lab: [53.3890, 0, 0] },
];

// Every channel on a 6-level lattice: 216 colours spanning the cube.
function latticeColors(): SrgbColor[] {
  const levels = [0, 0.2, 0.4, 0.6, 0.8, 1];
  return levels.flatMap((r) =>
    levels.flatMap((g) => levels.map((b): SrgbColor => [r, g, b])),
  );
}

function maxDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let difference = 0;
  for (let i = 0; i < expected.length; i += 1) {
    difference = Math.max(difference, Math.abs(actual[i]! - expected[i]!));
  }
  return difference;
}

describe('CIELAB conversion of single colours', () => {
  for (const { name, rgb, lab } of KNOWN) {
    it(`maps ${name} to L=${lab[0]}, a=${lab[1]}, b=${lab[2]}`, () => {
      const result = convertSrgbToLab(rgb);

      assert.ok(maxDifference(result, lab) < 1e-3, `got ${result.join(', ')}`);
    });
  }

  it('maps sRGB white exactly to a = b = 0', () => {
    const [lightness, a, b] = convertSrgbToLab([1, 1, 1]);

    assert.ok(Math.abs(lightness - 100) < 1e-12);
    assert.ok(Math.abs(a) < 1e-12 && Math.abs(b) < 1e-12);
  });

  it('round-trips sRGB -> Lab -> sRGB to within 1e-9', () => {
    for (const rgb of latticeColors()) {
      const back = convertLabToSrgb(convertSrgbToLab(rgb));

      assert.ok(maxDifference(back, rgb) < 1e-9, `${rgb.join(', ')}`);
    }
  });

  it('returns out-of-gamut Lab colours unclipped', () => {
    const [red, green, blue] = convertLabToSrgb([50, 100, 100]);

    assert.ok(red > 1 && Math.min(green, blue) < 0);
  });
});

describe('CIELAB conversion of image batches', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('agrees with the single-colour functions on [1, 6, 36, 3]', () => {
    const colors = latticeColors();
    const rgb = tf.tensor4d(colors.flat(), [1, 6, 36, 3]);

    const lab = convertSrgbImagesToLab(rgb);

    assert.deepEqual(lab.shape, [1, 6, 36, 3]);
    const expected = colors.flatMap((color) => [...convertSrgbToLab(color)]);
    assert.ok(maxDifference(lab.dataSync(), expected) < 2e-3);
    tf.dispose([rgb, lab]);
  });

  it('round-trips sRGB -> Lab -> sRGB to within 1e-4 in float32', () => {
    const rgb = tf.tensor4d(latticeColors().flat(), [2, 9, 12, 3]);

    const back = tf.tidy(() => convertLabImagesToSrgb(convertSrgbImagesToLab(rgb)));

    assert.ok(maxDifference(back.dataSync(), rgb.dataSync()) < 1e-4);
    tf.dispose([rgb, back]);
  });

  it('clips out-of-gamut colours to [0, 1]', () => {
    const lab = tf.tensor4d([50, 100, 100, 100, -128, 0], [1, 1, 2, 3]);

    const rgb = convertLabImagesToSrgb(lab).dataSync();

    assert.ok(rgb.every((value) => value >= 0 && value <= 1));
    assert.ok(rgb[0]! > 1 - 1e-6, 'red saturates at 1');
    tf.dispose(lab);
  });

  it('leaves no tensors behind', () => {
    const rgb = tf.ones([1, 2, 2, 3]) as tf.Tensor4D;
    const before = tf.memory().numTensors;

    const lab = convertSrgbImagesToLab(rgb);
    const back = convertLabImagesToSrgb(lab);

    assert.equal(tf.memory().numTensors, before + 2);
    tf.dispose([rgb, lab, back]);
  });

  it('rejects a batch that is not [n, h, w, 3] with a ShapeError', () => {
    const gray = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;

    assert.throws(() => convertSrgbImagesToLab(gray), ShapeError);
    assert.throws(() => convertLabImagesToSrgb(gray), {
      message: 'in convertLabImagesToSrgb: expected [n, h, w, 3], got [1, 2, 2, 1]',
    });
    gray.dispose();
  });
});
