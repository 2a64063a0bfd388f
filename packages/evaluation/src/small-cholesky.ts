/**
 * Cholesky factor and triangular inverse of one small block in float64
 * JavaScript: the diagonal blocks of the blocked factorization, where a
 * tfjs op per element would cost more than the arithmetic.
 */
import { HourglassError } from '@hourglass/common';

/**
 * The lower-triangular L with L L^T = a, for a symmetric positive
 * definite a of size n x n stored row-major (the classic
 * Cholesky-Banachiewicz recurrence, row by row).
 */
export function factorSmallCholesky(a: Float64Array, n: number): Float64Array {
  const lower = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j <= i; j += 1) {
      let sum = a[i * n + j]!;
      for (let k = 0; k < j; k += 1) {
        sum -= lower[i * n + k]! * lower[j * n + k]!;
      }
      if (i === j) {
        if (!(sum > 0)) throw notPositiveDefinite(i, sum);
        lower[i * n + i] = Math.sqrt(sum);
      } else {
        lower[i * n + j] = sum / lower[j * n + j]!;
      }
    }
  }
  return lower;
}

/**
 * The inverse of a lower-triangular n x n matrix, itself lower: column j
 * by forward substitution of L x = e_j, reading rows of L contiguously.
 */
export function invertSmallLower(lower: Float64Array, n: number): Float64Array {
  const inverse = new Float64Array(n * n);
  const column = new Float64Array(n);
  for (let j = 0; j < n; j += 1) {
    column.fill(0, 0, j);
    for (let i = j; i < n; i += 1) {
      let sum = i === j ? 1 : 0;
      const row = i * n;
      for (let k = j; k < i; k += 1) sum -= lower[row + k]! * column[k]!;
      column[i] = sum / lower[row + i]!;
      inverse[row + j] = column[i]!;
    }
  }
  return inverse;
}

function notPositiveDefinite(row: number, pivot: number): HourglassError {
  return new HourglassError(
    'HG_NOT_POSITIVE_DEFINITE',
    `in factorCholesky: expected a positive definite matrix, got pivot ` +
      `${pivot} at row ${row}; add a larger ridge penalty`,
  );
}
