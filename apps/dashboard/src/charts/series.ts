import type { MetricPoint } from '../api/types.ts';

/** One line on a chart: values by training step, steps ascending. */
export interface Series {
  label: string;
  steps: number[];
  values: number[];
}

/** Every metric of a run, by name. */
export type SeriesByName = Record<string, { steps: number[]; values: number[] }>;

/** uPlot's data: shared x values, then one y array per series (null where missing). */
export type AlignedData = [number[], ...(number | null)[][]];

/**
 * Adds metric points to a run's series, in step order. A point at or
 * before a series' last step is dropped: a replayed event, or a backlog
 * the page already fetched. Only the series that grow get new arrays, so
 * charts of the others do not redraw.
 */
export function appendPoints(store: SeriesByName, points: readonly MetricPoint[]): SeriesByName {
  if (points.length === 0) return store;
  const next: SeriesByName = { ...store };
  for (const point of points) {
    const current = next[point.name];
    const lastStep = current?.steps.at(-1);
    if (lastStep !== undefined && point.step <= lastStep) continue;
    // Copy a series once per call, on its first new point, then push.
    const series =
      current === store[point.name] || current === undefined
        ? { steps: [...(current?.steps ?? [])], values: [...(current?.values ?? [])] }
        : current;
    series.steps.push(point.step);
    series.values.push(point.value);
    next[point.name] = series;
  }
  return next;
}

/**
 * Puts series with different steps on one x axis for uPlot: the sorted
 * union of their steps, each series null where it has no point (drawn as
 * a gap spanned by the line). One series needs no copy.
 */
export function alignSeries(series: readonly Series[]): AlignedData {
  if (series.length === 1) return [series[0]!.steps, series[0]!.values];
  const steps = [...new Set(series.flatMap((line) => line.steps))].sort((a, b) => a - b);
  const columns = series.map((line) => {
    const column = new Array<number | null>(steps.length).fill(null);
    let cursor = 0;
    for (let index = 0; index < line.steps.length; index += 1) {
      while (steps[cursor]! < line.steps[index]!) cursor += 1;
      column[cursor] = line.values[index]!;
    }
    return column;
  });
  return [steps, ...columns];
}

/** How many points a chart's series hold together. */
export function countPoints(series: readonly Series[]): number {
  return series.reduce((sum, line) => sum + line.steps.length, 0);
}

/** Metric names in reading order: the total loss first, then loss terms, then the rest. */
export function sortMetricNames(names: Iterable<string>): string[] {
  const rank = (name: string) => (name === 'loss/total' ? 0 : name.startsWith('loss/') ? 1 : 2);
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
