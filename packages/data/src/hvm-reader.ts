/**
 * Reads the Majaj/Hong "HvM" recordings from their HDF5 file
 * (ventral_neural_data.hdf5) with h5wasm:
 *
 * - `images`: N x H x W uint8 grey stimuli (N x H x W x C also read);
 * - `image_meta/category`, `object_name`, `variation_level`: N strings;
 *   every other numeric N-long dataset in `image_meta` (rotation_xy,
 *   size, translation_y, ...) becomes a named continuous property;
 * - `time_averaged_trial_averaged`: N x S float, the mean response of each
 *   of S sites;
 * - `neural_meta/V4_NEURONS`, `neural_meta/IT_NEURONS`: site indices of
 *   each area into those S columns;
 * - optionally `time_averaged/variation_level_<k>`: trials x (images of
 *   level "V<k>", in file order) x S single-trial responses.
 *
 * The file itself cannot be had where this was written; the layout
 * follows the course materials that read it, and the tests build small
 * files in it. Large datasets are read in slices so the wasm heap stays
 * small.
 */
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';

import type { Dataset as H5Dataset, File as H5File, Group as H5Group } from 'h5wasm/node';

import { DataFormatError, toError } from '@hourglass/common';

import type { AreaResponses, NeuralDataset, StimulusMeta } from './neural-dataset.ts';

/** The areas read, each from `neural_meta/<area>_NEURONS`. */
export const HVM_AREAS: readonly string[] = ['V4', 'IT'];

/** The string datasets of `image_meta`, and the StimulusMeta field each fills. */
const LABEL_FIELDS = {
  category: 'category',
  object_name: 'objectName',
  variation_level: 'variationLevel',
} as const;

// HDF5 type classes as h5wasm reports them in Metadata.type.
const H5T_INTEGER = 0;
const H5T_FLOAT = 1;

/** Images read from the file at once. */
const IMAGE_SLICE = 256;

type H5wasm = (typeof import('h5wasm/node'))['default'];
let h5wasmLoaded: Promise<H5wasm> | undefined;

/**
 * h5wasm, imported on the first read. Workers run under tsx, which
 * transforms h5wasm's 4 MB emscripten bundle on import: about 2.4 s and
 * 600 MiB of resident memory (with plain node, 80 ms and 30 MiB). Every
 * process that imports this package but never reads HDF5 (each training
 * child, the API) would pay that on start.
 */
function loadH5wasm(): Promise<H5wasm> {
  h5wasmLoaded ??= import('h5wasm/node').then(async ({ default: h5wasm }) => {
    await h5wasm.ready;
    return h5wasm;
  });
  return h5wasmLoaded;
}

/**
 * Reads the whole file at `path`. A missing dataset, a wrong type or
 * shape, or responses whose image count differs from the stimuli's is a
 * DataFormatError naming the file and the dataset.
 */
export async function readHvmHdf5(path: string): Promise<NeuralDataset> {
  const file = resolve(path);
  await stat(file).catch((error: unknown) => {
    throw new DataFormatError(file, 'HDF5 file not found', { cause: error });
  });

  const h5wasm = await loadH5wasm();
  let h5: H5File;
  try {
    h5 = new h5wasm.File(file, 'r');
  } catch (error) {
    throw new DataFormatError(file, `not a readable HDF5 file: ${toError(error).message}`, {
      cause: error,
    });
  }

  try {
    const reader = new HvmReader(file, h5, h5wasm.Dataset);
    return reader.read();
  } finally {
    h5.close();
  }
}

class HvmReader {
  constructor(
    private readonly file: string,
    private readonly h5: H5File,
    private readonly datasetClass: typeof H5Dataset,
  ) {}

  read(): NeuralDataset {
    const { images, count, height, width, channels } = this.readImages();
    const meta = this.readMeta(count);

    const meanSet = this.dataset('time_averaged_trial_averaged');
    const [, siteTotal] = this.expectShape(meanSet, 'time_averaged_trial_averaged', [
      count,
      undefined,
    ]);
    this.expectFloat(meanSet, 'time_averaged_trial_averaged');
    const means = toFloat32(meanSet.value);
    const sitesByArea = HVM_AREAS.map((area) => this.readSiteIndices(area, siteTotal!));
    const trials = this.readTrials(meta.variationLevel, siteTotal!, sitesByArea);

    const areas: Record<string, AreaResponses> = {};
    HVM_AREAS.forEach((area, a) => {
      const sites = sitesByArea[a]!;
      areas[area] = {
        area,
        siteCount: sites.length,
        mean: selectColumns(means, count, siteTotal!, sites),
        maxRepetitions: trials?.maxRepetitions ?? 0,
        siteIndices: sites,
        ...(trials && { trials: trials.values[a]!, repetitions: trials.repetitions }),
      };
    });

    return {
      name: basename(this.file).replace(/\.(hdf5|h5)$/i, ''),
      images,
      count,
      height,
      width,
      channels,
      meta,
      areas,
    };
  }

  private readImages() {
    const set = this.dataset('images');
    const shape = set.shape ?? [];
    if (shape.length !== 3 && shape.length !== 4) {
      throw this.error('images', `expected N x H x W (or N x H x W x C), found [${shape}]`);
    }
    const meta = set.metadata;
    if (meta.type !== H5T_INTEGER || meta.size !== 1 || meta.signed) {
      throw this.error('images', `expected uint8 pixels, found ${describeType(set)}`);
    }

    const [count, height, width, channels = 1] = shape as [number, number, number, number?];
    const imageBytes = height * width * channels;
    const images = new Uint8Array(count * imageBytes);
    for (let start = 0; start < count; start += IMAGE_SLICE) {
      const end = Math.min(count, start + IMAGE_SLICE);
      const part = set.slice([[start, end]]) as Uint8Array;
      images.set(part, start * imageBytes);
    }
    return { images, count, height, width, channels };
  }

  private readMeta(count: number): StimulusMeta {
    const labels = {} as Record<(typeof LABEL_FIELDS)[keyof typeof LABEL_FIELDS], string[]>;
    for (const [name, field] of Object.entries(LABEL_FIELDS)) {
      const path = `image_meta/${name}`;
      const set = this.dataset(path);
      this.expectShape(set, path, [count]);
      const value = set.value;
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
        throw this.error(path, `expected strings, found ${describeType(set)}`);
      }
      labels[field] = value as string[];
    }

    const properties: Record<string, Float64Array> = {};
    const group = this.h5.get('image_meta') as H5Group;
    for (const name of group.keys()) {
      if (name in LABEL_FIELDS) continue;
      const entity = group.get(name);
      if (!(entity instanceof this.datasetClass)) continue;
      const type = entity.metadata.type;
      if (type !== H5T_FLOAT && type !== H5T_INTEGER) continue;
      this.expectShape(entity, `image_meta/${name}`, [count]);
      properties[name] = Float64Array.from(toNumbers(entity.value));
    }

    return { ...labels, properties };
  }

  /**
   * Single trials of each area's sites for every image, NaN-padded to the
   * most repetitions of any level, or undefined when the file has no
   * `time_averaged` group.
   */
  private readTrials(
    levels: readonly string[],
    siteTotal: number,
    sitesByArea: readonly Uint32Array[],
  ): Trials | undefined {
    if (this.h5.get('time_averaged') === null) return undefined;

    const byLevel = new Map<string, number[]>();
    levels.forEach((level, image) => {
      const list = byLevel.get(level);
      if (list === undefined) byLevel.set(level, [image]);
      else list.push(image);
    });

    const sets = [...byLevel].map(([level, images]) => {
      const number = /^V(\d+)$/.exec(level)?.[1];
      if (number === undefined) {
        throw this.error(
          'image_meta/variation_level',
          `expected levels named V<k> (V0, V3, V6), found "${level}"`,
        );
      }
      const path = `time_averaged/variation_level_${number}`;
      const set = this.dataset(path);
      const [trialCount] = this.expectShape(set, path, [undefined, images.length, siteTotal]);
      this.expectFloat(set, path);
      return { set, images, trialCount: trialCount!, path };
    });

    const maxRepetitions = Math.max(...sets.map((entry) => entry.trialCount));
    const count = levels.length;
    const values = sitesByArea.map((sites) => {
      return new Float32Array(count * sites.length * maxRepetitions).fill(Number.NaN);
    });
    const repetitions = new Uint16Array(count);
    for (const { set, images, trialCount } of sets) {
      for (const image of images) repetitions[image] = trialCount;
      // One trial at a time: trials x images x sites in the file, images
      // x sites x trials here, split by area.
      for (let trial = 0; trial < trialCount; trial += 1) {
        const slab = toFloat32(set.slice([[trial, trial + 1]]));
        sitesByArea.forEach((sites, a) => {
          const out = values[a]!;
          images.forEach((image, k) => {
            const from = k * siteTotal;
            const to = image * sites.length * maxRepetitions + trial;
            for (let s = 0; s < sites.length; s += 1) {
              out[to + s * maxRepetitions] = slab[from + sites[s]!]!;
            }
          });
        });
      }
    }
    return { values, repetitions, maxRepetitions };
  }

  private readSiteIndices(area: string, siteTotal: number): Uint32Array {
    const path = `neural_meta/${area}_NEURONS`;
    const set = this.dataset(path);
    const shape = set.shape ?? [];
    if (shape.length !== 1) {
      throw this.error(path, `expected a list of site indices, found [${shape}]`);
    }
    const indices = toNumbers(set.value);
    for (const index of indices) {
      if (!Number.isInteger(index) || index < 0 || index >= siteTotal) {
        throw this.error(path, `expected site indices in 0..${siteTotal - 1}, found ${index}`);
      }
    }
    return Uint32Array.from(indices);
  }

  private dataset(path: string): H5Dataset {
    const entity = this.h5.get(path);
    if (!(entity instanceof this.datasetClass)) throw this.error(path, 'missing dataset');
    return entity;
  }

  /** Checks `set`'s shape against `expected` (undefined: any); returns it. */
  private expectShape(
    set: H5Dataset,
    path: string,
    expected: readonly (number | undefined)[],
  ): number[] {
    const shape = set.shape ?? [];
    const fits =
      shape.length === expected.length &&
      expected.every((side, axis) => side === undefined || side === shape[axis]);
    if (!fits) {
      const wanted = expected.map((side) => side ?? '*').join(', ');
      throw this.error(path, `expected shape [${wanted}], found [${shape.join(', ')}]`);
    }
    return shape;
  }

  private expectFloat(set: H5Dataset, path: string): void {
    if (set.metadata.type !== H5T_FLOAT) {
      throw this.error(path, `expected floating-point responses, found ${describeType(set)}`);
    }
  }

  private error(path: string, message: string): DataFormatError {
    return new DataFormatError(this.file, `dataset "${path}": ${message}`);
  }
}

interface Trials {
  /** Per area (in HVM_AREAS order): images x its sites x maxRepetitions. */
  values: Float32Array[];
  repetitions: Uint16Array;
  maxRepetitions: number;
}

/** The columns `sites` of a rows x columnTotal matrix. */
function selectColumns(
  matrix: Float32Array,
  rows: number,
  columnTotal: number,
  sites: Uint32Array,
): Float32Array {
  const out = new Float32Array(rows * sites.length);
  for (let row = 0; row < rows; row += 1) {
    for (let s = 0; s < sites.length; s += 1) {
      out[row * sites.length + s] = matrix[row * columnTotal + sites[s]!]!;
    }
  }
  return out;
}

function describeType(set: H5Dataset): string {
  return `dtype ${JSON.stringify(set.dtype)}`;
}

function toFloat32(value: unknown): Float32Array {
  if (value instanceof Float32Array) return value;
  return Float32Array.from(toNumbers(value));
}

function toNumbers(value: unknown): number[] {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number | bigint>, Number);
  }
  if (Array.isArray(value)) return value.map(Number);
  return [Number(value)];
}
