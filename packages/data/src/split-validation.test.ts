import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ValidationError } from '@hourglass/common';

import { createGeneratedDataset } from './generated-dataset.ts';
import { splitValidation } from './split-validation.ts';

const { train } = createGeneratedDataset({ seed: 4, trainSize: 30, testSize: 1, imageSize: 8 });
const imageBytes = 8 * 8 * 3;

/** The index in `train` of each image of `part`, found by its bytes. */
function originalIndices(part: typeof train): number[] {
  const keys = new Map<string, number>();
  for (let i = 0; i < train.count; i += 1) {
    keys.set(train.images.subarray(i * imageBytes, (i + 1) * imageBytes).join(), i);
  }
  return Array.from({ length: part.count }, (_, i) => {
    return keys.get(part.images.subarray(i * imageBytes, (i + 1) * imageBytes).join())!;
  });
}

describe('splitValidation', () => {
  it('moves the asked number of images, each exactly once, keeping order and labels', () => {
    const { train: rest, validation } = splitValidation(train, 7, 11);

    assert.equal(validation.count, 7);
    assert.equal(rest.count, 23);
    const held = originalIndices(validation);
    const kept = originalIndices(rest);
    assert.deepEqual([...held, ...kept].sort((a, b) => a - b), [...Array(30).keys()]);
    assert.deepEqual(held, [...held].sort((a, b) => a - b));
    held.forEach((index, i) => assert.equal(validation.labels[i], train.labels[index]));
  });

  it('picks the same images for the same seed and others for another', () => {
    const a = originalIndices(splitValidation(train, 7, 11).validation);
    const b = originalIndices(splitValidation(train, 7, 11).validation);
    const c = originalIndices(splitValidation(train, 7, 12).validation);

    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('rejects a validation size that leaves no training images', () => {
    assert.throws(() => splitValidation(train, 30, 0), ValidationError);
  });
});
