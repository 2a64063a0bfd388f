import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { DatasetSpec } from './dataset-spec.ts';

describe('DatasetSpec', () => {
  test('an image-folder spec is filled in with every default', () => {
    assert.deepEqual(DatasetSpec.parse({ kind: 'image-folder', path: '/data/imagenet/train' }), {
      kind: 'image-folder',
      path: '/data/imagenet/train',
      validationFraction: 0,
      splitSeed: 0,
      augment: true,
      resizeRatio: 1.143,
      onBadImage: 'skip',
    });
  });

  test('an image-folder spec needs a path and a known bad-image policy', () => {
    const result = DatasetSpec.safeParse({ kind: 'image-folder', onBadImage: 'ignore' });

    assert.equal(result.success, false);
    const paths = result.error!.issues.map((issue) => issue.path.join('.'));
    assert.deepEqual(paths.sort(), ['onBadImage', 'path']);
  });

  test('a CIFAR-10 spec gains no defaults, so stored specs parse unchanged', () => {
    assert.deepEqual(DatasetSpec.parse({ kind: 'cifar10' }), { kind: 'cifar10' });
    assert.deepEqual(
      DatasetSpec.parse({ kind: 'cifar10', download: true, validationSize: 5000 }),
      { kind: 'cifar10', download: true, validationSize: 5000 },
    );
  });

  test('a validation share above half is refused', () => {
    const result = DatasetSpec.safeParse({
      kind: 'image-folder',
      path: 'x',
      validationFraction: 0.9,
    });

    assert.equal(result.success, false);
  });
});
