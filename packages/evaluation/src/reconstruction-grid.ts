/**
 * Held-out images next to what a model made of them (reconstructions,
 * colorizations) as one PNG grid.
 */
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { ShapeError } from '@hourglass/common';

import { encodeTileGrid } from './image-grid.ts';
import type { Tile } from './image-grid.ts';

/** Up to three aligned batches [n, h, w, 1 or 3] in [0, 1]. */
export interface ReconstructionRows {
  inputs: Tensor4D;
  outputs: Tensor4D;
  /** A third row, such as the ground-truth colours of a colorization. */
  extra?: Tensor4D;
}

/** Options of `renderReconstructionGrid`. */
export interface ReconstructionGridOptions {
  /** At most this many images (columns); 16 by default. */
  maxImages?: number;
  /** Screen pixels per image pixel; 2 by default. */
  scale?: number;
  padding?: number;
}

/**
 * A PNG with the inputs in the first row, the outputs below them and the
 * optional third batch below those; column i shows image i of each.
 * Grey (1-channel) images are drawn grey; values are clipped to [0, 1].
 */
export function renderReconstructionGrid(
  rows: ReconstructionRows,
  options: ReconstructionGridOptions = {},
): Buffer {
  const batches = [rows.inputs, rows.outputs];
  if (rows.extra !== undefined) batches.push(rows.extra);
  const n = rows.inputs.shape[0];
  for (const batch of batches) {
    const channels = batch.shape[3];
    if (batch.rank !== 4 || batch.shape[0] !== n || ![1, 3].includes(channels)) {
      throw new ShapeError(
        'renderReconstructionGrid',
        `[${n}, h, w, 1 or 3]`,
        batch.shape,
      );
    }
  }
  const columns = Math.min(n, options.maxImages ?? 16);

  const tiles = batches.flatMap((batch) => toTiles(batch, columns));
  return encodeTileGrid(tiles, {
    columns,
    scale: options.scale ?? 2,
    padding: options.padding ?? 2,
  });
}

/** The first `count` images of a batch as RGB tiles. */
function toTiles(batch: Tensor4D, count: number): Tile[] {
  const [, height, width, channels] = batch.shape;
  const values = batch.dataSync();
  const pixels = height * width;
  return Array.from({ length: count }, (_, image) => {
    const rgb = new Float32Array(pixels * 3);
    for (let p = 0; p < pixels; p += 1) {
      for (let c = 0; c < 3; c += 1) {
        const channel = channels === 3 ? c : 0;
        rgb[p * 3 + c] = values[(image * pixels + p) * channels + channel]!;
      }
    }
    return { height, width, rgb };
  });
}
