/**
 * The in-memory form of an image dataset. Pixels stay as bytes so that a
 * 50,000-image training set costs 150 MiB rather than 600; a batch is
 * scaled to floats only when it is gathered (see gather-batch.ts).
 */
import type { ChannelStatistics } from './channel-statistics.ts';

/** A split of a dataset: `count` images of one size, with their labels. */
export interface ImageSet {
  /**
   * count * height * width * channels bytes, image after image, each in
   * HWC row-major order (row 0 left to right, then row 1, ...; the
   * channels of a pixel adjacent, RGB).
   */
  images: Uint8Array;
  /** One class index per image, in `0 .. classNames.length - 1`. */
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
  channels: number;
}

/**
 * A named dataset: its class names (indexed by label) and its splits. The
 * optional fields are filled in by loadDataset; a dataset made directly
 * (createGeneratedDataset, readCifar10) has only train and test.
 */
export interface Dataset {
  name: string;
  classNames: string[];
  train: ImageSet;
  test: ImageSet;
  /** Images carved out of the original training set, if asked for. */
  validation?: ImageSet;
  /** Per-channel mean and standard deviation of `train`. */
  normalization?: ChannelStatistics;
}
