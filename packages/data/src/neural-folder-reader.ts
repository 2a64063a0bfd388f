/**
 * Reads neural data from a plain folder, for recordings that do not come
 * as HvM HDF5 (the format is described in this package's README):
 *
 *   meta.json                   stimuli in order, their labels, the areas
 *   stimuli/...                 the image files meta.json names
 *   responses/<area>.npy        images x sites x repetitions, NaN = missing
 *   responses/<area>-mean.npy   images x sites (optional if the above exists)
 */
import { access, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';

import sharp from 'sharp';
import { z } from 'zod';

import { DataFormatError, toError } from '@hourglass/common';

import type { AreaResponses, NeuralDataset, StimulusMeta } from './neural-dataset.ts';
import { readNpy, type NpyArray } from './npy-reader.ts';

/** The file naming the stimuli, in `dir`. */
export const NEURAL_META_FILE = 'meta.json';

const StimulusEntry = z.object({
  file: z.string().min(1),
  category: z.string(),
  object: z.string(),
  variationLevel: z.string(),
  properties: z.record(z.string(), z.number()).default({}),
});

/** meta.json's schema. */
export const NeuralFolderMeta = z.object({
  name: z.string().min(1).optional(),
  areas: z.array(z.string().regex(/^[\w.-]+$/)).min(1),
  images: z.array(StimulusEntry).min(1),
});
/** meta.json as parsed. */
export type NeuralFolderMeta = z.output<typeof NeuralFolderMeta>;

/**
 * Reads the folder `dir`. Every problem (bad meta.json, a missing or
 * undecodable image, images of different sizes, a response array of the
 * wrong dtype or shape, or one whose image count differs from the
 * stimuli's) is a DataFormatError naming the file.
 */
export async function readNeuralFolder(dir: string): Promise<NeuralDataset> {
  const root = resolve(dir);
  const meta = await readMeta(join(root, NEURAL_META_FILE));
  const count = meta.images.length;

  const { images, height, width, channels } = await readStimuli(root, meta);
  const areas: Record<string, AreaResponses> = {};
  for (const area of meta.areas) areas[area] = await readArea(root, area, count);

  return {
    name: meta.name ?? basename(root),
    images,
    count,
    height,
    width,
    channels,
    meta: toStimulusMeta(join(root, NEURAL_META_FILE), meta),
    areas,
  };
}

async function readMeta(path: string): Promise<NeuralFolderMeta> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new DataFormatError(path, `cannot read: ${toError(error).message}`, { cause: error });
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DataFormatError(path, `not JSON: ${toError(error).message}`, { cause: error });
  }
  const result = NeuralFolderMeta.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => {
      return `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`;
    });
    throw new DataFormatError(path, `invalid: ${issues.join('; ')}`);
  }
  return result.data;
}

function toStimulusMeta(path: string, meta: NeuralFolderMeta): StimulusMeta {
  const names = Object.keys(meta.images[0]!.properties).sort();
  const properties: Record<string, Float64Array> = {};
  for (const name of names) properties[name] = new Float64Array(meta.images.length);

  meta.images.forEach((image, i) => {
    const own = Object.keys(image.properties).sort();
    if (own.join('\0') !== names.join('\0')) {
      throw new DataFormatError(
        path,
        `images.${i}.properties: expected the same names as image 0 ` +
          `(${names.join(', ') || 'none'}), found ${own.join(', ') || 'none'}`,
      );
    }
    for (const name of names) properties[name]![i] = image.properties[name]!;
  });

  return {
    category: meta.images.map((image) => image.category),
    objectName: meta.images.map((image) => image.object),
    variationLevel: meta.images.map((image) => image.variationLevel),
    properties,
  };
}

interface DecodedStimulus {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

async function readStimuli(root: string, meta: NeuralFolderMeta) {
  const decoded: DecodedStimulus[] = [];
  for (const entry of meta.images) decoded.push(await decodeStimulus(join(root, entry.file)));

  const first = decoded[0]!;
  decoded.forEach((image, i) => {
    if (image.width !== first.width || image.height !== first.height) {
      throw new DataFormatError(
        join(root, meta.images[i]!.file),
        `expected ${first.width}x${first.height} like the first stimulus, ` +
          `found ${image.width}x${image.height}`,
      );
    }
  });

  // Grey stimuli stay one channel; if any is in colour, all become RGB.
  const channels = decoded.every((image) => image.channels === 1) ? 1 : 3;
  const imageBytes = first.width * first.height * channels;
  const images = new Uint8Array(decoded.length * imageBytes);
  decoded.forEach((image, i) => {
    const out = images.subarray(i * imageBytes, (i + 1) * imageBytes);
    if (image.channels === channels) out.set(image.data);
    else for (let p = 0; p < out.length; p += 1) out[p] = image.data[Math.floor(p / 3)]!;
  });
  return { images, height: first.height, width: first.width, channels };
}

async function decodeStimulus(file: string): Promise<DecodedStimulus> {
  try {
    // sharp writes sRGB unless told otherwise, so a grey stimulus must be
    // asked to stay grey.
    const { space } = await sharp(file).metadata();
    const isGrey = space === 'b-w' || space === 'grey16';
    const { data, info } = await sharp(file)
      .removeAlpha()
      .toColourspace(isGrey ? 'b-w' : 'srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels };
  } catch (error) {
    throw new DataFormatError(file, `cannot decode stimulus: ${toError(error).message}`, {
      cause: error,
    });
  }
}

async function readArea(root: string, area: string, count: number): Promise<AreaResponses> {
  const trialsPath = join(root, 'responses', `${area}.npy`);
  const meanPath = join(root, 'responses', `${area}-mean.npy`);
  const hasTrials = await exists(trialsPath);
  const hasMean = await exists(meanPath);
  if (!hasTrials && !hasMean) {
    throw new DataFormatError(
      trialsPath,
      `missing: area "${area}" needs responses/${area}.npy ` +
        `(images x sites x repetitions) or responses/${area}-mean.npy (images x sites)`,
    );
  }

  const trials = hasTrials
    ? checkResponses(trialsPath, await readNpy(trialsPath), 3, count)
    : undefined;
  const given = hasMean
    ? checkResponses(meanPath, await readNpy(meanPath), 2, count)
    : undefined;
  const siteCount = (trials ?? given)!.shape[1]!;
  if (trials && given && given.shape[1] !== siteCount) {
    throw new DataFormatError(
      meanPath,
      `expected ${siteCount} sites like responses/${area}.npy, found ${given.shape[1]}`,
    );
  }

  const maxRepetitions = trials?.shape[2] ?? 0;
  const trialValues = trials ? Float32Array.from(trials.data) : undefined;
  const mean = given ? Float32Array.from(given.data) : averageTrials(trialValues!, maxRepetitions);
  return {
    area,
    siteCount,
    mean,
    maxRepetitions,
    siteIndices: Uint32Array.from({ length: siteCount }, (_, i) => i),
    ...(trialValues && {
      trials: trialValues,
      repetitions: countRepetitions(trialValues, count, siteCount, maxRepetitions),
    }),
  };
}

function checkResponses(path: string, array: NpyArray, rank: number, count: number): NpyArray {
  if (array.dtype === '|u1') {
    throw new DataFormatError(path, 'expected float32 or float64 responses, found uint8');
  }
  if (array.shape.length !== rank) {
    const expected = rank === 3 ? 'images x sites x repetitions' : 'images x sites';
    const found = array.shape.join(', ');
    throw new DataFormatError(path, `expected ${expected}, found shape [${found}]`);
  }
  if (array.shape[0] !== count) {
    throw new DataFormatError(
      path,
      `expected responses to ${count} images (the stimuli in meta.json), found ${array.shape[0]}`,
    );
  }
  return array;
}

/** The mean over repetitions of each image and site, skipping NaNs. */
function averageTrials(trials: Float32Array, repetitions: number): Float32Array {
  const mean = new Float32Array(trials.length / repetitions);
  for (let cell = 0; cell < mean.length; cell += 1) {
    let sum = 0;
    let n = 0;
    for (let r = 0; r < repetitions; r += 1) {
      const value = trials[cell * repetitions + r]!;
      if (Number.isNaN(value)) continue;
      sum += value;
      n += 1;
    }
    mean[cell] = n > 0 ? sum / n : Number.NaN;
  }
  return mean;
}

/** Per image, the repetitions not NaN at its first site. */
function countRepetitions(
  trials: Float32Array,
  count: number,
  siteCount: number,
  repetitions: number,
): Uint16Array {
  const out = new Uint16Array(count);
  for (let image = 0; image < count; image += 1) {
    const start = image * siteCount * repetitions;
    let n = 0;
    for (let r = 0; r < repetitions; r += 1) if (!Number.isNaN(trials[start + r]!)) n += 1;
    out[image] = n;
  }
  return out;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
