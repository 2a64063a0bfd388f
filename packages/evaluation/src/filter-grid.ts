/**
 * First-layer kernels drawn as an image grid, to see at a glance whether
 * a model learned oriented, localized (Gabor-like) filters.
 */
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { ShapeError } from '@hourglass/common';

import { encodeTileGrid } from './image-grid.ts';
import type { Tile } from './image-grid.ts';

/** Options of `renderFilterGrid`. */
export interface FilterGridOptions {
  /** Tiles per row; about square by default. */
  columns?: number;
  /** Screen pixels per kernel pixel; 4 by default. */
  scale?: number;
  padding?: number;
}

/**
 * A PNG of kernels [kh, kw, inChannels, outChannels]: one tile per output
 * channel, in colour when there are 3 input channels; otherwise one grey
 * tile per (output, input) pair, outputs in order. Each kernel is scaled
 * from its own minimum (black) to its own maximum (white), so weak
 * filters are as visible as strong ones.
 */
export function renderFilterGrid(
  kernels: Tensor4D,
  options: FilterGridOptions = {},
): Buffer {
  if (kernels.rank !== 4) {
    throw new ShapeError(
      'renderFilterGrid',
      '[kh, kw, inChannels, outChannels]',
      kernels.shape,
    );
  }
  const [height, width, inputs, outputs] = kernels.shape;
  const values = kernels.dataSync();
  const valueAt = (p: number, input: number, output: number): number =>
    values[(p * inputs + input) * outputs + output]!;

  const tiles: Tile[] = [];
  for (let output = 0; output < outputs; output += 1) {
    const groups = inputs === 3
      ? [[0, 1, 2]]
      : Array.from({ length: inputs }, (_, i) => [i, i, i]);
    for (const channels of groups) {
      const rgb = new Float32Array(height * width * 3);
      for (let p = 0; p < height * width; p += 1) {
        channels.forEach((input, c) => {
          rgb[p * 3 + c] = valueAt(p, input, output);
        });
      }
      tiles.push({ height, width, rgb: normalizeToRange(rgb) });
    }
  }
  return encodeTileGrid(tiles, {
    columns: options.columns ?? Math.ceil(Math.sqrt(tiles.length)),
    scale: options.scale ?? 4,
    padding: options.padding ?? 1,
  });
}

/** Maps the values' own [min, max] to [0, 1]; a flat kernel is grey. */
function normalizeToRange(values: Float32Array): Float32Array {
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  const range = high - low;
  return values.map((value) => (range > 0 ? (value - low) / range : 0.5));
}
