import { curveChart, type CurvePoint } from '../chart-specs.ts';
import {
  escapeHtml,
  formatMetric,
  numberCell,
  paragraph,
  renderFigureWithTable,
  renderImage,
  renderTable,
} from '../html.ts';
import { renderChartPng } from '../render-chart.ts';
import type { Figure, MetricPoint, ReportSection } from '../types.ts';
import { makeFigure, slugify, type SectionContext } from './context.ts';

// Training mechanics, not what the model learned: left out of the curves.
const SKIPPED_METRICS = new Set(['learning_rate', 'images_per_second']);

/** Points drawn per run and metric; a longer series is thinned evenly. */
export const MAX_POINTS_PER_CURVE = 400;

/** Every `stride`-th point and always the last, so the curve ends where training did. */
export function thinPoints<T>(points: readonly T[], maxPoints: number): T[] {
  if (points.length <= maxPoints) return [...points];
  const stride = Math.ceil(points.length / maxPoints);
  const kept = points.filter((_, index) => index % stride === 0);
  const last = points[points.length - 1]!;
  if (kept[kept.length - 1] !== last) kept.push(last);
  return kept;
}

/** Metric names worth a curve, losses first, then the others alphabetically. */
export function selectCurveMetrics(points: readonly MetricPoint[]): string[] {
  const names = [...new Set(points.map((point) => point.name))].filter(
    (name) => !SKIPPED_METRICS.has(name),
  );
  const rank = (name: string) =>
    name === 'loss/total' ? 0 : name.startsWith('loss/') ? 1 : 2;
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

interface SeriesSummary {
  label: string;
  points: MetricPoint[];
}

function summaryRow(series: SeriesSummary) {
  const last = series.points[series.points.length - 1]!;
  let best = series.points[0]!;
  let worst = series.points[0]!;
  for (const point of series.points) {
    if (point.value < best.value) best = point;
    if (point.value > worst.value) worst = point;
  }
  return [
    series.label,
    numberCell(String(last.step)),
    numberCell(formatMetric(last.value)),
    numberCell(formatMetric(best.value)),
    numberCell(formatMetric(worst.value)),
  ];
}

/**
 * One chart per metric (loss terms, validation metrics, the family's own
 * measures) with a line per run, and beside it each run's last, lowest
 * and highest value.
 */
export async function buildCurves(context: SectionContext): Promise<ReportSection> {
  const allPoints = context.runs.flatMap(({ metrics }) => metrics);
  const figures: Figure[] = [];
  const parts: string[] = [];

  for (const metric of selectCurveMetrics(allPoints)) {
    const series: SeriesSummary[] = context.runs
      .map(({ run, metrics }) => ({
        label: context.labels.get(run.id)!,
        points: metrics.filter((point) => point.name === metric),
      }))
      .filter((entry) => entry.points.length > 0);
    const chartPoints: CurvePoint[] = series.flatMap(({ label, points }) =>
      thinPoints(points, MAX_POINTS_PER_CURVE).map((point) => ({
        run: label,
        step: point.step,
        value: point.value,
      })),
    );

    const figure = makeFigure(
      context,
      `curve-${slugify(metric)}`,
      metric,
      await renderChartPng(curveChart(metric, chartPoints)),
    );
    figures.push(figure);
    const table = renderTable(
      `curve:${metric}`,
      ['run', 'last step', 'last', 'min', 'max'],
      series.map(summaryRow),
    );
    parts.push(
      `<h3>${escapeHtml(metric)}</h3>`,
      renderFigureWithTable(renderImage(figure.png, metric, figure.fileName), table),
    );
  }

  const html = parts.length === 0 ? paragraph('No run has logged metrics yet.') : parts.join('\n');
  return { id: 'curves', title: 'Training curves', html, figures };
}
