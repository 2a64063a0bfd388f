/**
 * Stimulus images with the responses they evoked in the brain, for
 * comparing a model's features with neural data (RSA, neural fitting).
 * Arrays are flat and row-major, shapes given beside them, like ImageSet.
 */

/** What is known about each stimulus image; every array has one entry per image. */
export interface StimulusMeta {
  /** The object's category, e.g. "Animals". */
  category: string[];
  /** The object shown, e.g. "bear". */
  objectName: string[];
  /** How far pose, position and size vary, e.g. "V0", "V3", "V6". */
  variationLevel: string[];
  /** Named continuous properties (rotation_xy, size, ...), one value per image. */
  properties: Record<string, Float64Array>;
}

/** The responses of one brain area's recording sites to every image. */
export interface AreaResponses {
  /** The area's name, e.g. "V4" or "IT". */
  area: string;
  siteCount: number;
  /** images x sites, the mean over repetitions (as recorded, or computed). */
  mean: Float32Array;
  /**
   * images x sites x repetitions, single trials; NaN past an image's own
   * repetition count. Absent when the source has only means.
   */
  trials?: Float32Array;
  /** Repetitions per image (trials' third axis is their maximum). */
  repetitions?: Uint16Array;
  /** trials' third axis: the largest repetition count. */
  maxRepetitions: number;
  /** For each site, its column in the source's full site list. */
  siteIndices: Uint32Array;
}

/** Stimuli, their metadata, and responses per area. */
export interface NeuralDataset {
  name: string;
  /** count * height * width * channels bytes, HWC (channels 1: grey). */
  images: Uint8Array;
  count: number;
  height: number;
  width: number;
  channels: number;
  meta: StimulusMeta;
  /** Keyed by area name. */
  areas: Record<string, AreaResponses>;
}
