/**
 * Averaging images that share a label: object-level responses are the
 * mean over each object's images (as in the object-level RDMs of
 * Kriegeskorte et al. 2008 and Yamins et al. 2014).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { ShapeError } from '@hourglass/common';

import { multiplyMatrices } from './mat-mul.ts';

/** The mean response of each group, in order of first appearance. */
export interface GroupAverages {
  /** [groups, d]. */
  responses: Tensor2D;
  /** The group label of each row. */
  groups: (string | number)[];
}

/**
 * Averages the rows of responses [n, d] that share a label; groups[i] is
 * the label of row i. Done as one product with a [groups, n] averaging
 * matrix.
 */
export function averageGroups(
  responses: Tensor2D,
  groups: readonly (string | number)[],
): GroupAverages {
  const n = responses.shape[0];
  if (responses.rank !== 2 || groups.length !== n) {
    throw new ShapeError(
      'averageGroups',
      `responses [${groups.length}, d] (one row per label)`,
      responses.shape,
    );
  }
  const { labels, rowOf } = indexGroups(groups);

  const counts = new Float32Array(labels.length);
  rowOf.forEach((row) => {
    counts[row]! += 1;
  });
  const averaging = new Float32Array(labels.length * n);
  rowOf.forEach((row, item) => {
    averaging[row * n + item] = 1 / counts[row]!;
  });
  const matrix = tf.tensor2d(averaging, [labels.length, n]);
  const averaged = multiplyMatrices(matrix, responses);
  matrix.dispose();
  return { responses: averaged, groups: labels };
}

/** The distinct labels in order of first appearance, and each row's. */
export function indexGroups(groups: readonly (string | number)[]): {
  labels: (string | number)[];
  rowOf: Int32Array;
} {
  const index = new Map<string | number, number>();
  const rowOf = new Int32Array(groups.length);
  groups.forEach((label, item) => {
    let row = index.get(label);
    if (row === undefined) {
      row = index.size;
      index.set(label, row);
    }
    rowOf[item] = row;
  });
  return { labels: [...index.keys()], rowOf };
}
