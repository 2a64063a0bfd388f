/**
 * Training metrics collected step by step and handed over in batches, so
 * that the database sees one write per interval rather than one per step.
 */

/** One value of one named metric at one step. */
export interface MetricPoint {
  /**
   * 'loss/total', 'loss/<term>', 'learning_rate', 'images_per_second',
   * a model's own metrics ('sparsity/near_zero_fraction', 'elbo') and
   * held-out ones ('validation/top1').
   */
  name: string;
  step: number;
  value: number;
}

/** What a finished step reports. */
export interface StepRecord {
  step: number;
  /** The loss of the step's batch. */
  lossTotal: number;
  /** Each named part of the loss, reported as 'loss/<term>'. */
  lossTerms: Record<string, number>;
  /** The model's other values of the step, reported under their names. */
  metrics?: Record<string, number>;
  learningRate: number;
  /** Images in the batch and seconds the step's computation took. */
  imageCount: number;
  seconds: number;
}

/**
 * Buffers per-step losses and learning rates; `drain` returns them with
 * one 'images_per_second' point for the drained interval. Steps must be
 * recorded in increasing order, so every drained batch continues where
 * the last one ended, without duplicates.
 */
export class MetricsBuffer {
  private points: MetricPoint[] = [];
  private lastStep: number | undefined;
  private intervalImages = 0;
  private intervalSeconds = 0;

  /** Adds the metrics of one finished step. */
  record(record: StepRecord): void {
    const { step } = record;
    if (this.lastStep !== undefined && step <= this.lastStep) {
      throw new RangeError(`metrics for step ${step} recorded after step ${this.lastStep}`);
    }

    this.lastStep = step;
    this.points.push({ name: 'loss/total', step, value: record.lossTotal });
    for (const [term, value] of Object.entries(record.lossTerms)) {
      this.points.push({ name: `loss/${term}`, step, value });
    }
    for (const [name, value] of Object.entries(record.metrics ?? {})) {
      this.points.push({ name, step, value });
    }
    this.points.push({ name: 'learning_rate', step, value: record.learningRate });
    this.intervalImages += record.imageCount;
    this.intervalSeconds += record.seconds;
  }

  /**
   * Adds values measured after `step` rather than by it, such as held-out
   * accuracy at a checkpoint. `step` may repeat the last recorded step,
   * never go back before it.
   */
  recordValues(step: number, values: Record<string, number>): void {
    if (this.lastStep !== undefined && step < this.lastStep) {
      throw new RangeError(`values for step ${step} recorded after step ${this.lastStep}`);
    }

    this.lastStep = step;
    for (const [name, value] of Object.entries(values)) {
      this.points.push({ name, step, value });
    }
  }

  /** True when no step has been recorded since the last drain. */
  get isEmpty(): boolean {
    return this.points.length === 0;
  }

  /**
   * Takes every buffered point, plus the interval's throughput at its last
   * step, and empties the buffer.
   */
  drain(): MetricPoint[] {
    if (this.points.length === 0 || this.lastStep === undefined) return [];

    const points = this.points;
    if (this.intervalSeconds > 0) {
      const value = this.intervalImages / this.intervalSeconds;
      points.push({ name: 'images_per_second', step: this.lastStep, value });
    }
    this.points = [];
    this.intervalImages = 0;
    this.intervalSeconds = 0;
    return points;
  }
}
