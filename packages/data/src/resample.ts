/**
 * Resizes and crops a decoded image into one slot of a float batch. The
 * image is scaled so its shorter side is `shorterSide`, a size x size
 * window of that is taken, mirrored if asked, and written as RGB floats in
 * [0, 1]. Shrinking averages the source pixels each output pixel covers
 * (area averaging), enlarging interpolates linearly, one axis at a time.
 * It runs in JavaScript because for small images a libvips resize costs
 * more in fixed overhead than this whole loop; large images arrive
 * already shrunk by libvips, at scale 1 here.
 */

/**
 * Raw pixels as sharp hands them over: interleaved, 1 to 4 channels. The
 * image may be one cell of a larger buffer (images decoded side by side):
 * it then starts at `byteOffset` and its rows are `rowBytes` apart.
 */
export interface DecodedImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
  /** Where pixel (0, 0) is; 0 if absent. */
  byteOffset?: number;
  /** Bytes from one row to the next; width * channels if absent. */
  rowBytes?: number;
}

// Scratch rows for the two passes, reused from image to image: training
// places thousands of images a second, and fresh arrays each time kept
// the garbage collector busy (measured: a quarter of the decode time).
let acrossScratch = new Float64Array(0);
let sumScratch = new Float64Array(0);

function scratch(
  current: Float64Array<ArrayBuffer>,
  length: number,
): Float64Array<ArrayBuffer> {
  return current.length >= length ? current : new Float64Array(length);
}

/** Where the window falls and how the image is scaled before it. */
export interface CropPlan {
  /** The scaled image's shorter side, at least the window's side. */
  shorterSide: number;
  /** Offsets as fractions in [0, 1) of the room left; 0.5 is centred. */
  x: number;
  y: number;
  isFlipped: boolean;
}

/**
 * Per output position along one axis: the first source index with a
 * non-zero weight, how many follow, and the weights (`taps` per position,
 * unused ones zero).
 */
interface AxisWeights {
  first: Int32Array;
  count: Int32Array;
  taps: number;
  weights: Float32Array;
}

/**
 * Writes `image`, scaled and cropped by `plan`, into `out` from index
 * `offset`: size * size * 3 floats, HWC, each byte / 255.
 */
export function placeImage(
  image: DecodedImage,
  plan: CropPlan,
  size: number,
  out: Float32Array,
  offset: number,
): void {
  const { width, height } = image;
  const scale = plan.shorterSide / Math.min(width, height);
  const scaledWidth = Math.max(size, Math.round(width * scale));
  const scaledHeight = Math.max(size, Math.round(height * scale));
  const left = Math.floor(plan.x * (scaledWidth - size + 1));
  const top = Math.floor(plan.y * (scaledHeight - size + 1));

  const columns = axisWeights(size, left, scaledWidth / width, width);
  const rows = axisWeights(size, top, scaledHeight / height, height);
  resampleInto(image, columns, rows, size, plan.isFlipped, out, offset);
}

/**
 * Output position o covers scaled coordinates [start + o, start + o + 1),
 * which is source interval [(start + o) / scale, (start + o + 1) / scale).
 * Shrinking, each source pixel weighs by how much of it that interval
 * covers (area averaging); enlarging, the two nearest pixel centres are
 * blended linearly. Pixel i spans [i, i + 1), its centre at i + 0.5.
 */
function axisWeights(
  size: number,
  start: number,
  scale: number,
  sourceSize: number,
): AxisWeights {
  const taps = scale < 1 ? Math.ceil(1 / scale) + 1 : 2;
  const first = new Int32Array(size);
  const count = new Int32Array(size);
  const weights = new Float32Array(size * taps);

  for (let o = 0; o < size; o += 1) {
    let low: number;
    let high: number;
    if (scale < 1) {
      low = (start + o) / scale;
      high = (start + o + 1) / scale;
    } else {
      // Linear interpolation as the overlap of a unit-wide box centred on
      // the sample point, clamped inside the image.
      const centre = (start + o + 0.5) / scale;
      low = Math.min(Math.max(centre - 0.5, 0), sourceSize - 1);
      high = low + 1;
    }
    const firstIndex = Math.max(0, Math.floor(low));
    const lastIndex = Math.min(sourceSize - 1, Math.ceil(high) - 1);

    let total = 0;
    for (let i = firstIndex; i <= lastIndex; i += 1) {
      total += Math.min(high, i + 1) - Math.max(low, i);
    }
    first[o] = firstIndex;
    count[o] = lastIndex - firstIndex + 1;
    for (let i = firstIndex; i <= lastIndex; i += 1) {
      const overlap = Math.min(high, i + 1) - Math.max(low, i);
      weights[o * taps + i - firstIndex] = overlap / total;
    }
  }
  return { first, count, taps, weights };
}

function resampleInto(
  image: DecodedImage,
  columns: AxisWeights,
  rows: AxisWeights,
  size: number,
  isFlipped: boolean,
  out: Float32Array,
  offset: number,
): void {
  const { data, channels } = image;
  const byteOffset = image.byteOffset ?? 0;
  const rowBytes = image.rowBytes ?? image.width * channels;
  // Grey (with or without alpha) feeds all three outputs from band 0.
  const bandStep = channels >= 3 ? 1 : 0;

  // Horizontal pass over only the source rows the window needs.
  const rowLow = rows.first[0]!;
  const rowHigh = rows.first[size - 1]! + rows.count[size - 1]! - 1;
  const rowCount = rowHigh - rowLow + 1;
  const rowFloats = size * 3;
  acrossScratch = scratch(acrossScratch, rowCount * rowFloats);
  const across = acrossScratch;
  for (let r = 0; r < rowCount; r += 1) {
    const sourceRow = byteOffset + (rowLow + r) * rowBytes;
    const rowStart = r * rowFloats;
    for (let o = 0; o < size; o += 1) {
      let red = 0;
      let green = 0;
      let blue = 0;
      const base = o * columns.taps;
      const taps = columns.count[o]!;
      let pixel = sourceRow + columns.first[o]! * channels;
      for (let t = 0; t < taps; t += 1) {
        const weight = columns.weights[base + t]!;
        red += weight * data[pixel]!;
        green += weight * data[pixel + bandStep]!;
        blue += weight * data[pixel + 2 * bandStep]!;
        pixel += channels;
      }
      const at = rowStart + (isFlipped ? size - 1 - o : o) * 3;
      across[at] = red;
      across[at + 1] = green;
      across[at + 2] = blue;
    }
  }

  // Vertical pass straight into the batch, scaled to [0, 1]. The weights
  // are non-negative and sum to 1, so no value leaves [0, 255].
  sumScratch = scratch(sumScratch, rowFloats);
  const sum = sumScratch;
  for (let o = 0; o < size; o += 1) {
    const base = o * rows.taps;
    const taps = rows.count[o]!;
    sum.fill(0, 0, rowFloats);
    for (let t = 0; t < taps; t += 1) {
      const weight = rows.weights[base + t]!;
      const from = (rows.first[o]! + t - rowLow) * rowFloats;
      for (let j = 0; j < rowFloats; j += 1) sum[j]! += weight * across[from + j]!;
    }
    const target = offset + o * rowFloats;
    for (let j = 0; j < rowFloats; j += 1) out[target + j] = sum[j]! / 255;
  }
}
