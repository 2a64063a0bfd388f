import type { Evaluation } from '../api/types.ts';
import type { Series } from '../charts/series.ts';

/** One chart of evaluation scores over checkpoints. */
export interface EvaluationChart {
  key: string;
  title: string;
  series: Series[];
}

/** What each kind's score means, for chart titles. */
const KIND_TITLES: Record<string, string> = {
  'linear-probe': 'Linear probe, held-out top-1',
  'task-generalization': 'Task generalization',
  rsa: 'RSA, Spearman r',
  'neural-fit': 'Neural fit, median noise-corrected explained variance',
  filters: 'Filters, median Gabor score',
  reconstructions: 'Reconstructions',
};

function titleOf(kind: string, area: string, method: string): string {
  const parts = [KIND_TITLES[kind] ?? kind];
  if (area && kind !== 'task-generalization') parts.push(`area ${area}`);
  if (method) parts.push(method);
  return parts.join(' · ');
}

/**
 * Groups a run's evaluation rows into line charts of score by checkpoint
 * step: one chart per kind, area and method (so RSA against V4 by image is
 * one chart), one line per layer in it. A row without a layer (a neural
 * reference in task generalization) is named by its area. Rows without a
 * score (pending, running, failed) are left out.
 */
export function groupEvaluationCharts(rows: readonly Evaluation[]): EvaluationChart[] {
  const charts = new Map<string, { title: string; lines: Map<string, Series> }>();
  const ordered = [...rows].sort((a, b) => a.step - b.step);
  for (const row of ordered) {
    if (row.status !== 'succeeded' || row.score === null) continue;
    const area = row.kind === 'task-generalization' ? '' : row.area;
    const key = [row.kind, area, row.method].join('|');
    let chart = charts.get(key);
    if (!chart) {
      chart = { title: titleOf(row.kind, area, row.method), lines: new Map() };
      charts.set(key, chart);
    }
    const label = row.layer || (row.area ? `${row.area} (neural)` : row.kind);
    let line = chart.lines.get(label);
    if (!line) {
      line = { label, steps: [], values: [] };
      chart.lines.set(label, line);
    }
    if (line.steps.at(-1) === row.step) continue;
    line.steps.push(row.step);
    line.values.push(row.score);
  }
  return [...charts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, chart]) => ({
      key,
      title: chart.title,
      series: [...chart.lines.values()].sort((a, b) => a.label.localeCompare(b.label)),
    }));
}

/** How many rows are pending, running or failed: evaluations still to come or to look at. */
export function countUnfinished(rows: readonly Evaluation[]): Record<string, number> {
  const counts: Record<string, number> = { pending: 0, running: 0, failed: 0 };
  for (const row of rows) if (row.status in counts) counts[row.status]! += 1;
  return counts;
}

/**
 * The latest score of each kind, layer, area and method: a run's results
 * in one row of numbers, for the compare table.
 */
export function latestScores(rows: readonly Evaluation[]): Map<string, number> {
  const latest = new Map<string, { step: number; score: number }>();
  for (const row of rows) {
    if (row.status !== 'succeeded' || row.score === null) continue;
    const key = [row.kind, row.layer, row.area, row.method].filter(Boolean).join(' · ');
    const seen = latest.get(key);
    if (!seen || row.step > seen.step) latest.set(key, { step: row.step, score: row.score });
  }
  return new Map([...latest].map(([key, value]) => [key, value.score]));
}
