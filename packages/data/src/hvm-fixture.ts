/**
 * Test support: writes small HDF5 files in the HvM layout with h5wasm,
 * with values that say where they come from, so a test can check every
 * number read. Not part of the package's surface.
 */
import h5wasm from 'h5wasm/node';

/** What to write; `omit` leaves datasets out, `override` replaces them. */
export interface HvmFixtureOptions {
  /** Images per variation level, in file order V0, V3, V6. */
  perLevel?: [number, number, number];
  /** Trials per level. */
  trials?: [number, number, number];
  siteCount?: number;
  side?: number;
  omit?: string[];
  /** Dataset path -> data and shape to write instead. */
  override?: Record<string, { data: Float32Array | Uint8Array | Float64Array; shape: number[] }>;
}

const LEVELS = ['V0', 'V3', 'V6'];
const CATEGORIES = ['Animals', 'Boats', 'Cars'];

/** The single-trial value of image `image`, site `site`, trial `trial`. */
export function hvmTrialValue(image: number, site: number, trial: number): number {
  return image * 1000 + site * 10 + trial;
}

/** The trial-averaged value written for image `image`, site `site`. */
export function hvmMeanValue(image: number, site: number): number {
  return image + site / 100;
}

/** Writes the file; returns the layout's numbers for the test to check. */
export async function writeHvmFile(path: string, options: HvmFixtureOptions = {}) {
  await h5wasm.ready;
  const perLevel = options.perLevel ?? [2, 3, 3];
  const trials = options.trials ?? [2, 4, 3];
  const siteCount = options.siteCount ?? 6;
  const side = options.side ?? 4;
  const omit = new Set(options.omit ?? []);
  const count = perLevel[0] + perLevel[1] + perLevel[2];

  // Levels interleave in file order, so each level's images are not one
  // contiguous run: the reader must pick them out by their labels.
  const levels: string[] = [];
  const left = [...perLevel];
  for (let i = 0; levels.length < count; i += 1) {
    if (left[i % 3]! > 0) {
      levels.push(LEVELS[i % 3]!);
      left[i % 3]! -= 1;
    }
  }

  const images = new Uint8Array(count * side * side).map((_, i) => (i * 7) % 256);
  const file = new h5wasm.File(path, 'w');
  type Data = Float32Array | Float64Array | Uint8Array | Int32Array | string[];
  const write = (name: string, data: Data, shape: number[], dtype?: string) => {
    if (omit.has(name)) return;
    const replaced = options.override?.[name];
    if (replaced) {
      file.create_dataset({ name, data: replaced.data, shape: replaced.shape });
      return;
    }
    file.create_dataset({ name, data, shape, ...(dtype && { dtype }) });
  };
  try {
    for (const group of ['image_meta', 'neural_meta', 'time_averaged']) {
      if (!omit.has(group)) file.create_group(group);
    }
    write('images', images, [count, side, side]);
    write('image_meta/category', levels.map((_, i) => CATEGORIES[i % 3]!), [count], 'S10');
    write('image_meta/object_name', levels.map((_, i) => `object${i}`), [count], 'S10');
    write('image_meta/variation_level', levels, [count], 'S2');
    write('image_meta/size', Float64Array.from(levels, (_, i) => i / 2), [count]);
    write('image_meta/rotation_xy', Float64Array.from(levels, (_, i) => -i), [count]);

    const mean = new Float32Array(count * siteCount);
    for (let i = 0; i < count; i += 1) {
      for (let s = 0; s < siteCount; s += 1) mean[i * siteCount + s] = hvmMeanValue(i, s);
    }
    write('time_averaged_trial_averaged', mean, [count, siteCount]);
    // V4 gets the even sites, IT the odd ones.
    const even = Int32Array.from({ length: siteCount / 2 }, (_, k) => 2 * k);
    write('neural_meta/V4_NEURONS', even, [even.length]);
    write('neural_meta/IT_NEURONS', even.map((site) => site + 1), [even.length]);

    LEVELS.forEach((level, l) => {
      const members = levels.flatMap((value, i) => (value === level ? [i] : []));
      const data = new Float32Array(trials[l]! * members.length * siteCount);
      for (let t = 0; t < trials[l]!; t += 1) {
        members.forEach((image, k) => {
          for (let s = 0; s < siteCount; s += 1) {
            data[(t * members.length + k) * siteCount + s] = hvmTrialValue(image, s, t);
          }
        });
      }
      const name = `time_averaged/variation_level_${level.slice(1)}`;
      write(name, data, [trials[l]!, members.length, siteCount]);
    });
  } finally {
    file.close();
  }
  return { count, siteCount, side, levels, trials, images };
}
