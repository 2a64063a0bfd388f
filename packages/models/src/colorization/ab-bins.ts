/**
 * The quantized ab output space of Zhang, Isola and Efros (2016, section
 * 2.1 and figure 2): the ab plane cut into a square grid (step 10), of
 * which only the points near colours that sRGB can show are kept. The
 * model predicts a distribution over these Q bins for every pixel.
 *
 * Which points count as in gamut is computed here from the sRGB cube,
 * not read from a table: every face of the cube is sampled at the 256
 * levels an 8-bit channel has (the gamut's outline in ab comes from its
 * surface) and its inside on a coarser 32-level lattice, each sample is
 * converted to Lab, and a grid point is kept when some sample lies
 * strictly within one grid step of it along both a and b, that is, when
 * it is one of the four grid points around an in-gamut colour.
 *
 * Why that rule, and why 309 and not the paper's 313 for grid 10:
 * - Keeping only the cell an in-gamut colour rounds to ("the bin it
 *   falls in") gives 261 points with 8-bit sampling and 262 in the dense
 *   limit. Its points do not surround the gamut, so colours near the
 *   gamut's edge could not be reached as the soft encoding's and the
 *   annealed mean's weighted averages of bin centres.
 * - The four-neighbour rule gives 309, the same for every surface
 *   sampling from 256 to 3,000 levels per cube edge (coarser ones miss
 *   thin slivers: 64 levels give 306), and its points are a subset of
 *   the paper's 313. The paper's remaining four points (a, b) = (40, 90),
 *   (100, -90), (100, -10) and (100, 0) lie 13 to 15 units from every
 *   sRGB colour, while other grid points at 12 units are not in the
 *   paper's set, so no distance rule on the sRGB gamut reproduces it:
 *   the published set was not derived from the sRGB gamut alone (it
 *   matches no sampling density or rounding convention we tried).
 *
 * So there are two bin sets: 'srgb', the rule above, and 'zhang-2016',
 * the paper's 313 at grid 10: the sRGB set plus those four points, so
 * that a model predicts exactly the published bins (their weights then
 * come only from the smoothing and the uniform mix, as no colour lands
 * in them). The published set exists for grid 10 only.
 */
import { ValidationError } from '@hourglass/common';

import { convertSrgbToLab } from './cielab.ts';

/** The grid step of the paper: 10 units of a and b. */
export const DEFAULT_AB_GRID_SIZE = 10;

/** Which bins are kept: the sRGB gamut's, or the paper's published 313. */
export type AbBinSet = 'zhang-2016' | 'srgb';

/** The published set's points beyond the sRGB set, as (a, b) at grid 10. */
const PUBLISHED_EXTRA_POINTS: readonly (readonly [number, number])[] = [
  [40, 90],
  [100, -90],
  [100, -10],
  [100, 0],
];

// Levels per cube edge on the surface (8-bit) and inside the cube.
const SURFACE_LEVELS = 256;
const INTERIOR_LEVELS = 32;

// Every sRGB colour has |a| and |b| below 128.
const AB_EXTENT = 130;

/** The in-gamut ab bins for one grid size. */
export interface AbBins {
  /** The grid step in a and b. */
  readonly gridSize: number;
  /** Q, the number of bins. */
  readonly count: number;
  /**
   * Bin centres [Q, 2] as (a, b) pairs, row-major: sorted by a, then b.
   * Every centre is a multiple of the grid size.
   */
  readonly centers: Float32Array;
  /**
   * The bin index of each grid point of a square lattice, -1 where the
   * point is out of gamut: grid point (i, j), that is
   * (a, b) = ((i - offset) * gridSize, (j - offset) * gridSize), is at
   * index i * side + j.
   */
  readonly lattice: Int32Array;
  /** The lattice's number of points per axis. */
  readonly side: number;
  /** The lattice index of a = 0 (and of b = 0). */
  readonly offset: number;
}

const cache = new Map<string, AbBins>();

/**
 * The ab bins of a bin set: 'srgb' computes them from the gamut for any
 * grid; 'zhang-2016' is the paper's 313 and needs grid 10.
 */
export function computeAbBins(gridSize: number, binSet: AbBinSet): AbBins {
  if (binSet === 'srgb') return computeInGamutAbBins(gridSize);
  if (gridSize !== DEFAULT_AB_GRID_SIZE) {
    throw new ValidationError('ab bins', [
      {
        path: 'binSet',
        message: `the zhang-2016 bins exist for grid 10 only, not ${gridSize}; use 'srgb'`,
      },
    ]);
  }
  return buildBins(gridSize, 'zhang-2016', PUBLISHED_EXTRA_POINTS);
}

/**
 * The in-gamut ab bins for `gridSize` (see the file comment for the
 * rule): 309 bins for the paper's grid 10. Computed once per grid size
 * and process (a few hundred thousand colour conversions), then shared.
 */
export function computeInGamutAbBins(
  gridSize: number = DEFAULT_AB_GRID_SIZE,
): AbBins {
  return buildBins(gridSize, 'srgb', []);
}

// The sRGB gamut's grid points plus `extraPoints`, cached per grid and set.
function buildBins(
  gridSize: number,
  binSet: AbBinSet,
  extraPoints: readonly (readonly [number, number])[],
): AbBins {
  const key = `${binSet}:${gridSize}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;

  if (!(gridSize >= 1 && gridSize <= AB_EXTENT)) {
    throw new ValidationError('ab bins', [
      {
        path: 'gridSize',
        message: `expected a number in [1, ${AB_EXTENT}], got ${gridSize}`,
      },
    ]);
  }
  const offset = Math.ceil(AB_EXTENT / gridSize) + 1;
  const side = 2 * offset + 1;
  const isNearGamut = new Uint8Array(side * side);

  // Marks the (up to) four grid points around the colour's (a, b).
  const markNeighbours = (red: number, green: number, blue: number) => {
    const [, a, b] = convertSrgbToLab([red, green, blue]);
    const i0 = Math.floor(a / gridSize) + offset;
    const j0 = Math.floor(b / gridSize) + offset;
    const i1 = Math.ceil(a / gridSize) + offset;
    const j1 = Math.ceil(b / gridSize) + offset;
    isNearGamut[i0 * side + j0] = 1;
    isNearGamut[i0 * side + j1] = 1;
    isNearGamut[i1 * side + j0] = 1;
    isNearGamut[i1 * side + j1] = 1;
  };
  visitGamutSamples(markNeighbours);
  for (const [a, b] of extraPoints) {
    isNearGamut[(a / gridSize + offset) * side + (b / gridSize + offset)] = 1;
  }

  const lattice = new Int32Array(side * side).fill(-1);
  const centers: number[] = [];
  for (let i = 0; i < side; i += 1) {
    for (let j = 0; j < side; j += 1) {
      if (isNearGamut[i * side + j] === 0) continue;
      lattice[i * side + j] = centers.length / 2;
      centers.push((i - offset) * gridSize, (j - offset) * gridSize);
    }
  }

  const bins: AbBins = Object.freeze({
    gridSize,
    count: centers.length / 2,
    centers: Float32Array.from(centers),
    lattice,
    side,
    offset,
  });
  cache.set(key, bins);
  return bins;
}

// Calls `visit` on the cube's six faces at 8-bit levels and on a
// coarser lattice inside it; channels in [0, 1].
function visitGamutSamples(
  visit: (red: number, green: number, blue: number) => void,
): void {
  const top = SURFACE_LEVELS - 1;
  for (let i = 0; i <= top; i += 1) {
    for (let j = 0; j <= top; j += 1) {
      const u = i / top;
      const v = j / top;
      for (const edge of [0, 1]) {
        visit(edge, u, v);
        visit(u, edge, v);
        visit(u, v, edge);
      }
    }
  }

  const inner = INTERIOR_LEVELS - 1;
  for (let i = 1; i < inner; i += 1) {
    for (let j = 1; j < inner; j += 1) {
      for (let k = 1; k < inner; k += 1) {
        visit(i / inner, j / inner, k / inner);
      }
    }
  }
}

/**
 * The index of the bin whose centre is nearest to (a, b) in Euclidean
 * distance. In-gamut colours find it in the lattice (the grid point they
 * round to is one of their four neighbours, so a bin); anything else is
 * searched for among all Q centres.
 */
export function findNearestAbBin(bins: AbBins, a: number, b: number): number {
  const i = Math.round(a / bins.gridSize) + bins.offset;
  const j = Math.round(b / bins.gridSize) + bins.offset;
  const isOnLattice = i >= 0 && j >= 0 && i < bins.side && j < bins.side;
  const index = isOnLattice ? bins.lattice[i * bins.side + j]! : -1;
  if (index >= 0) return index;

  let nearest = 0;
  let nearestDistance = Infinity;
  for (let q = 0; q < bins.count; q += 1) {
    const da = bins.centers[2 * q]! - a;
    const db = bins.centers[2 * q + 1]! - b;
    const distance = da * da + db * db;
    if (distance < nearestDistance) {
      nearest = q;
      nearestDistance = distance;
    }
  }
  return nearest;
}
