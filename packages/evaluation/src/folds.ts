/**
 * Cross-validation splits: which held-out fold each image belongs to.
 * Seeded, so an evaluation repeated on the same checkpoint uses the same
 * splits.
 */
import { ValidationError, permutation } from '@hourglass/common';

/** The images of one split, as indices into the full set. */
export interface FoldSplit {
  train: Int32Array;
  test: Int32Array;
}

/**
 * Assigns n items to `folds` folds of near-equal size, in a seeded random
 * order: the fold of item i is `assignment[i]`.
 */
export function assignFolds(n: number, folds: number, seed: number): Int32Array {
  checkFoldCount(n, folds);
  const order = permutation(n, seed);
  const assignment = new Int32Array(n);
  order.forEach((item, position) => {
    assignment[item] = position % folds;
  });
  return assignment;
}

/**
 * Assigns items to folds stratified by a label (an object, a category):
 * each stratum's items are shuffled and dealt to the folds in turn, so a
 * stratum with at least `folds` items has items in every test fold and in
 * every training split. Dealing continues where the previous stratum
 * stopped, which keeps fold sizes within one of each other.
 */
export function assignStratifiedFolds(
  strata: readonly (string | number)[],
  folds: number,
  seed: number,
): Int32Array {
  checkFoldCount(strata.length, folds);
  const members = new Map<string | number, number[]>();
  strata.forEach((stratum, item) => {
    const list = members.get(stratum);
    if (list === undefined) members.set(stratum, [item]);
    else list.push(item);
  });

  const assignment = new Int32Array(strata.length);
  let next = 0;
  let stream = 0;
  for (const items of members.values()) {
    stream += 1;
    const order = permutation(items.length, seed + stream * 7919);
    for (const position of order) {
      assignment[items[position]!] = next % folds;
      next += 1;
    }
  }
  return assignment;
}

/** The training and test indices of one fold of an assignment. */
export function splitFold(assignment: Int32Array, fold: number): FoldSplit {
  const train: number[] = [];
  const test: number[] = [];
  assignment.forEach((assigned, item) => {
    (assigned === fold ? test : train).push(item);
  });
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}

function checkFoldCount(n: number, folds: number): void {
  if (!Number.isInteger(folds) || folds < 2 || folds > n) {
    throw new ValidationError('cross-validation', [
      {
        path: 'folds',
        message: `expected an integer from 2 to ${n} (the items), got ${folds}`,
      },
    ]);
  }
}
