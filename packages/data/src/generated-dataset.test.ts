import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ValidationError } from '@hourglass/common';

import { createGeneratedDataset } from './generated-dataset.ts';
import type { ImageSet } from './image-set.ts';

/**
 * Accuracy on `test` of the nearest class mean fitted on `train`: a linear
 * classifier on raw pixels, so it scores well only if classes differ in
 * ways a linear readout can see.
 */
function nearestMeanAccuracy(train: ImageSet, test: ImageSet, classes: number): number {
  const dim = train.height * train.width * train.channels;
  const means = Array.from({ length: classes }, () => new Float64Array(dim));
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < train.count; i += 1) {
    const label = train.labels[i]!;
    counts[label]! += 1;
    for (let j = 0; j < dim; j += 1) means[label]![j]! += train.images[i * dim + j]!;
  }
  means.forEach((mean, label) => mean.forEach((sum, j) => (mean[j] = sum / counts[label]!)));

  let correct = 0;
  for (let i = 0; i < test.count; i += 1) {
    let best = -1;
    let bestDistance = Infinity;
    means.forEach((mean, label) => {
      let distance = 0;
      for (let j = 0; j < dim; j += 1) distance += (test.images[i * dim + j]! - mean[j]!) ** 2;
      if (distance < bestDistance) [best, bestDistance] = [label, distance];
    });
    if (best === test.labels[i]) correct += 1;
  }
  return correct / test.count;
}

describe('createGeneratedDataset', () => {
  it('makes 32x32 RGB images of 10 classes by default', () => {
    const dataset = createGeneratedDataset({ seed: 1, trainSize: 40, testSize: 20 });

    assert.equal(dataset.name, 'generated');
    assert.equal(dataset.classNames.length, 10);
    assert.equal(new Set(dataset.classNames).size, 10);
    for (const [set, count] of [[dataset.train, 40], [dataset.test, 20]] as const) {
      assert.deepEqual([set.count, set.height, set.width, set.channels], [count, 32, 32, 3]);
      assert.equal(set.images.length, count * 32 * 32 * 3);
      assert.equal(set.labels.length, count);
    }
  });

  it('balances the classes to within one image', () => {
    const { train, test } = createGeneratedDataset({ seed: 2, trainSize: 95, testSize: 20 });

    const counts = (set: ImageSet): number[] => {
      const found = new Array<number>(10).fill(0);
      set.labels.forEach((label) => (found[label]! += 1));
      return found;
    };
    assert.deepEqual(counts(train).sort((a, b) => a - b), [9, 9, 9, 9, 9, 10, 10, 10, 10, 10]);
    assert.deepEqual(counts(test), new Array(10).fill(2));
  });

  it('gives identical bytes for the same seed', () => {
    const a = createGeneratedDataset({ seed: 7, trainSize: 30, testSize: 10 });
    const b = createGeneratedDataset({ seed: 7, trainSize: 30, testSize: 10 });

    assert.deepEqual(a, b);
  });

  it('gives different images for a different seed', () => {
    const a = createGeneratedDataset({ seed: 7, trainSize: 30, testSize: 10 });
    const b = createGeneratedDataset({ seed: 8, trainSize: 30, testSize: 10 });

    assert.notDeepEqual(a.train.images, b.train.images);
    assert.notDeepEqual(a.test.images, b.test.images);
  });

  it('draws the test images apart from the train images', () => {
    const { train, test } = createGeneratedDataset({ seed: 3, trainSize: 10, testSize: 10 });

    assert.notDeepEqual(train.images, test.images);
  });

  it('uses most of the byte range rather than a flat colour', () => {
    const { train } = createGeneratedDataset({ seed: 4, trainSize: 20, testSize: 10 });

    const image = train.images.subarray(0, 3072);
    assert.ok(Math.max(...image) - Math.min(...image) > 100);
  });

  it('has classes a linear classifier on pixels tells apart', () => {
    const dataset = createGeneratedDataset({ seed: 0, trainSize: 1000, testSize: 300 });

    const accuracy = nearestMeanAccuracy(dataset.train, dataset.test, 10);

    assert.ok(accuracy > 0.6, `nearest-class-mean accuracy ${accuracy}, chance 0.1`);
  });

  it('makes images of another size when asked', () => {
    const { train } = createGeneratedDataset({
      seed: 5,
      trainSize: 10,
      testSize: 10,
      imageSize: 16,
    });

    assert.deepEqual([train.height, train.width, train.channels], [16, 16, 3]);
    assert.equal(train.images.length, 10 * 16 * 16 * 3);
  });

  it('rejects sizes that are not positive integers and tiny images', () => {
    assert.throws(
      () => createGeneratedDataset({ seed: 0, trainSize: 0, testSize: 1.5, imageSize: 4 }),
      (error: unknown) => {
        assert.ok(error instanceof ValidationError);
        assert.deepEqual(
          error.issues.map((issue) => issue.path),
          ['trainSize', 'testSize', 'imageSize'],
        );
        return true;
      },
    );
  });
});
