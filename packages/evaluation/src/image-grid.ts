/**
 * Arranging small images on a grid and encoding it as a PNG, for the
 * filter and reconstruction figures of the dashboard and reports.
 */
import { PNG } from 'pngjs';

/** One tile: RGB values in [0, 1], row-major, 3 per pixel. */
export interface Tile {
  height: number;
  width: number;
  rgb: Float32Array;
}

/** Layout of a grid. */
export interface GridLayout {
  /** Tiles per row; rows follow from the tile count. */
  columns: number;
  /** Each tile pixel becomes scale x scale image pixels (nearest). */
  scale?: number;
  /** Background pixels between and around tiles; 1 by default. */
  padding?: number;
  /** Background grey level in [0, 1]; 1 (white) by default. */
  background?: number;
}

/**
 * Encodes tiles, row by row, as an RGB PNG. Tiles may differ in size;
 * each cell is as large as the largest tile. Values are clipped to
 * [0, 1] and rounded to 8 bits.
 */
export function encodeTileGrid(
  tiles: readonly Tile[],
  layout: GridLayout,
): Buffer {
  const scale = layout.scale ?? 1;
  const padding = layout.padding ?? 1;
  const columns = Math.max(1, Math.min(layout.columns, tiles.length));
  const rows = Math.max(1, Math.ceil(tiles.length / columns));
  const cellHeight = Math.max(1, ...tiles.map((tile) => tile.height)) * scale;
  const cellWidth = Math.max(1, ...tiles.map((tile) => tile.width)) * scale;
  const width = columns * (cellWidth + padding) + padding;
  const height = rows * (cellHeight + padding) + padding;

  const png = new PNG({ width, height, colorType: 2, inputHasAlpha: true });
  png.data.fill(Math.round(clip(layout.background ?? 1) * 255));
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  tiles.forEach((tile, index) => {
    const top = padding + Math.floor(index / columns) * (cellHeight + padding);
    const left = padding + (index % columns) * (cellWidth + padding);
    drawTile(png, tile, top, left, scale);
  });
  return PNG.sync.write(png, { colorType: 2, inputHasAlpha: true });
}

function drawTile(
  png: PNG,
  tile: Tile,
  top: number,
  left: number,
  scale: number,
): void {
  for (let y = 0; y < tile.height * scale; y += 1) {
    for (let x = 0; x < tile.width * scale; x += 1) {
      const row = Math.floor(y / scale);
      const source = (row * tile.width + Math.floor(x / scale)) * 3;
      const target = ((top + y) * png.width + left + x) * 4;
      for (let c = 0; c < 3; c += 1) {
        png.data[target + c] = Math.round(clip(tile.rgb[source + c]!) * 255);
      }
    }
  }
}

function clip(value: number): number {
  return Number.isNaN(value) ? 0 : Math.min(1, Math.max(0, value));
}
