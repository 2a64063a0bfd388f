import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ValidationError } from '@hourglass/common';

import { assignFolds, assignStratifiedFolds, splitFold } from './folds.ts';

describe('assignFolds', () => {
  it('spreads items over folds of near-equal size, seeded', () => {
    const assignment = assignFolds(23, 5, 1);

    const sizes = [0, 1, 2, 3, 4].map(
      (fold) => assignment.filter((f) => f === fold).length,
    );
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
    assert.deepEqual(assignFolds(23, 5, 1), assignment);
    assert.notDeepEqual(assignFolds(23, 5, 2), assignment);
  });

  it('refuses fewer than two folds or more folds than items', () => {
    assert.throws(() => assignFolds(10, 1, 0), ValidationError);
    assert.throws(() => assignFolds(3, 4, 0), ValidationError);
  });
});

describe('assignStratifiedFolds', () => {
  it('puts every object in every test fold and every training split', () => {
    const objects = Array.from({ length: 90 }, (_, i) => `object-${i % 6}`);

    const assignment = assignStratifiedFolds(objects, 5, 3);

    for (let fold = 0; fold < 5; fold += 1) {
      const { train, test } = splitFold(assignment, fold);
      const inTest = new Set(Array.from(test, (i) => objects[i]));
      const inTrain = new Set(Array.from(train, (i) => objects[i]));
      assert.equal(inTest.size, 6);
      assert.equal(inTrain.size, 6);
      assert.equal(train.length + test.length, 90);
    }
  });
});
