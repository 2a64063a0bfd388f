/**
 * The leading eigenvector of a small symmetric matrix (responses x
 * responses in PLS), by the Lanczos method with full
 * reorthogonalization in float64 JavaScript. Plain power iteration
 * needed its full 1,000 steps (0.4 s) on a 300 x 300 matrix whose top
 * eigenvalues were close; Lanczos converges in tens of steps there.
 */

/** Relative residual ||M x - theta x|| / theta at which to stop. */
const TOLERANCE = 1e-9;

/** How often (in Lanczos steps) the Ritz pair is checked. */
const CHECK_EVERY = 5;

/**
 * The unit eigenvector of the largest eigenvalue of a symmetric positive
 * semi-definite m x m matrix (row-major), or undefined when the matrix
 * is zero. Starts from the matrix's largest column, which is never
 * orthogonal to the leading eigenvector.
 */
export function dominantEigenvector(
  matrix: Float64Array,
  m: number,
): Float64Array | undefined {
  const start = largestColumn(matrix, m);
  if (start === undefined) return undefined;

  const basis: Float64Array[] = [start];
  const alphas: number[] = [];
  const betas: number[] = [];
  for (let step = 0; step < m; step += 1) {
    const current = basis[step]!;
    const next = multiply(matrix, m, current);
    const alpha = dot(current, next);
    alphas.push(alpha);
    // Full reorthogonalization, twice: the Krylov basis is small.
    for (let pass = 0; pass < 2; pass += 1) {
      for (const vector of basis) axpy(-dot(vector, next), vector, next);
    }
    const beta = Math.sqrt(dot(next, next));

    const isLast = step === m - 1 || !(beta > 1e-14 * Math.abs(alpha));
    if (isLast || (step + 1) % CHECK_EVERY === 0) {
      const ritz = topEigenpair(alphas, betas);
      const residual = beta * Math.abs(ritz.vector[step]!);
      if (isLast || residual <= TOLERANCE * Math.abs(ritz.value)) {
        return combine(basis, ritz.vector);
      }
    }
    betas.push(beta);
    basis.push(next.map((value) => value / beta));
  }
  return combine(basis, topEigenpair(alphas, betas).vector);
}

/**
 * The top eigenpair of the symmetric tridiagonal matrix with diagonal
 * `alphas` and off-diagonal `betas`: the eigenvalue by bisection on
 * Sturm sequence counts, the vector by inverse iteration with a shift
 * just above it (T - shift I is then negative definite, so the
 * tridiagonal LDL^T solve needs no pivoting). O(k) per step.
 */
function topEigenpair(
  alphas: readonly number[],
  betas: readonly number[],
): { value: number; vector: Float64Array } {
  const k = alphas.length;
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < k; i += 1) {
    const radius = Math.abs(betas[i - 1] ?? 0) + Math.abs(betas[i] ?? 0);
    low = Math.min(low, alphas[i]! - radius);
    high = Math.max(high, alphas[i]! + radius);
  }
  const scale = Math.max(Math.abs(low), Math.abs(high), Number.MIN_VALUE);
  while (high - low > 1e-15 * scale) {
    const middle = (low + high) / 2;
    if (middle === low || middle === high) break;
    if (countBelow(alphas, betas, middle) === k) high = middle;
    else low = middle;
  }

  const shift = high + 1e-12 * scale;
  let vector: Float64Array = new Float64Array(k).fill(1 / Math.sqrt(k));
  for (let iteration = 0; iteration < 3; iteration += 1) {
    vector = solveShiftedTridiagonal(alphas, betas, shift, vector);
    const norm = Math.sqrt(dot(vector, vector));
    vector = vector.map((value) => value / norm);
  }
  return { value: high, vector };
}

/** How many eigenvalues of the tridiagonal matrix lie below x (Sturm). */
function countBelow(
  alphas: readonly number[],
  betas: readonly number[],
  x: number,
): number {
  let count = 0;
  let pivot = 1;
  for (let i = 0; i < alphas.length; i += 1) {
    const coupling = i === 0 ? 0 : betas[i - 1]! ** 2 / pivot;
    pivot = alphas[i]! - x - coupling;
    if (pivot === 0) pivot = -1e-300;
    if (pivot < 0) count += 1;
  }
  return count;
}

/** x with (T - shift I) x = b, by the tridiagonal LDL^T recurrence. */
function solveShiftedTridiagonal(
  alphas: readonly number[],
  betas: readonly number[],
  shift: number,
  b: Float64Array,
): Float64Array {
  const k = alphas.length;
  const diagonal = new Float64Array(k);
  const forward = new Float64Array(k);
  for (let i = 0; i < k; i += 1) {
    const previous = i === 0 ? 0 : betas[i - 1]! / diagonal[i - 1]!;
    diagonal[i] = alphas[i]! - shift - (i === 0 ? 0 : previous * betas[i - 1]!);
    forward[i] = b[i]! - (i === 0 ? 0 : previous * forward[i - 1]!);
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i -= 1) {
    const after = i === k - 1 ? 0 : betas[i]! * x[i + 1]!;
    x[i] = (forward[i]! - after) / diagonal[i]!;
  }
  return x;
}

/** The normalized largest column, or undefined for a zero matrix. */
function largestColumn(
  matrix: Float64Array,
  m: number,
): Float64Array | undefined {
  let best = -1;
  let bestNorm = 0;
  for (let j = 0; j < m; j += 1) {
    let norm = 0;
    for (let i = 0; i < m; i += 1) norm += matrix[i * m + j]! ** 2;
    if (norm > bestNorm) {
      bestNorm = norm;
      best = j;
    }
  }
  if (best < 0) return undefined;
  const column = new Float64Array(m);
  const norm = Math.sqrt(bestNorm);
  for (let i = 0; i < m; i += 1) column[i] = matrix[i * m + best]! / norm;
  return column;
}

/**
 * basis^T y, normalized, with its largest entry positive so that the
 * same matrix always gives the same sign: the Ritz vector.
 */
function combine(
  basis: readonly Float64Array[],
  y: Float64Array,
): Float64Array {
  const result = new Float64Array(basis[0]!.length);
  basis.forEach((vector, i) => {
    if (i < y.length) axpy(y[i]!, vector, result);
  });
  let largest = 0;
  for (const value of result) {
    if (Math.abs(value) > Math.abs(largest)) largest = value;
  }
  const norm = Math.sign(largest) * Math.sqrt(dot(result, result));
  return result.map((value) => value / norm);
}

function multiply(
  matrix: Float64Array,
  m: number,
  x: Float64Array,
): Float64Array {
  const result = new Float64Array(m);
  for (let i = 0; i < m; i += 1) {
    let sum = 0;
    for (let j = 0; j < m; j += 1) sum += matrix[i * m + j]! * x[j]!;
    result[i] = sum;
  }
  return result;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += a[i]! * b[i]!;
  return sum;
}

/** y += scale x, in place. */
function axpy(scale: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i += 1) y[i]! += scale * x[i]!;
}
