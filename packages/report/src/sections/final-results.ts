import {
  detailArray,
  detailNumber,
  findFinalStep,
  selectFinalResults,
} from '../final-checkpoint.ts';
import { formatScore, numberCell, paragraph, renderTable } from '../html.ts';
import { compareLayers } from '../layer-order.ts';
import type { EvaluationRow, ReportSection } from '../types.ts';
import type { SectionContext } from './context.ts';

/** The extra numbers a row's details hold, in words: top-5, ceiling, sites. */
export function describeDetails(row: EvaluationRow): string {
  const parts: string[] = [];
  const top5 = detailNumber(row, 'top5');
  if (top5 !== undefined) parts.push(`top-5 ${formatScore(top5)}`);
  const ceiling = detailNumber(row, 'ceiling');
  if (ceiling !== undefined) parts.push(`ceiling ${formatScore(ceiling)}`);
  const perSite = detailArray(row, 'perSite');
  if (perSite !== undefined) parts.push(`${perSite.length} sites`);
  return parts.join(', ');
}

function compareResults(a: EvaluationRow, b: EvaluationRow): number {
  return (
    a.kind.localeCompare(b.kind) ||
    compareLayers(a.layer, b.layer) ||
    a.area.localeCompare(b.area) ||
    a.method.localeCompare(b.method)
  );
}

/** A column of the summary: one kind, method and area, e.g. "rsa image IT". */
function columnOf(row: EvaluationRow): string {
  return [row.kind, row.method, row.area].filter((part) => part !== '').join(' ');
}

function describeBest(row: EvaluationRow | undefined): string {
  if (row === undefined) return '–';
  return row.layer ? `${formatScore(row.score)} (${row.layer})` : formatScore(row.score);
}

/**
 * One row per run, one column per kind, method and area: the best score
 * over the run's layers and the layer it is at. Every score is better when
 * higher. The neural data's own rows (no layer) are not the model's and
 * are left out here.
 */
function renderSummary(context: SectionContext): string {
  const bestByRun = context.runs.map(({ run, evaluations }) => {
    const best = new Map<string, EvaluationRow>();
    for (const row of selectFinalResults(evaluations)) {
      if (row.layer === '' && row.area !== '') continue;
      if (row.score === null) continue;
      const column = columnOf(row);
      const current = best.get(column);
      if (current === undefined || row.score > current.score!) best.set(column, row);
    }
    return { run, finalStep: findFinalStep(evaluations), best };
  });
  const columns = [...new Set(bestByRun.flatMap(({ best }) => [...best.keys()]))].sort();
  const rows = bestByRun.map(({ run, finalStep, best }) => [
    context.labels.get(run.id)!,
    numberCell(finalStep === undefined ? '–' : String(finalStep)),
    ...columns.map((column) => numberCell(describeBest(best.get(column)))),
  ]);
  return renderTable('summary', ['run', 'step', ...columns], rows);
}

/**
 * Each run's evaluation results at its final evaluated checkpoint: a
 * summary of the best layer per kind, method and area, and every result,
 * one row per kind, layer, area and method.
 */
export function buildFinalResults(context: SectionContext): ReportSection {
  const rows = context.runs.flatMap(({ run, evaluations }) =>
    selectFinalResults(evaluations).sort(compareResults).map((row) => [
      context.labels.get(run.id)!,
      numberCell(String(row.step)),
      row.kind,
      row.layer,
      row.area,
      row.method,
      numberCell(formatScore(row.score)),
      describeDetails(row),
    ]),
  );
  const headers = ['run', 'step', 'kind', 'layer', 'area', 'method', 'score', 'details'];
  const title = 'Evaluation results at the final checkpoint';
  if (rows.length === 0) {
    return {
      id: 'final-results',
      title,
      html: paragraph('No run has evaluation results yet.'),
      figures: [],
    };
  }
  const html = [
    paragraph(
      'Each run at its final evaluated checkpoint (the largest step with results), ' +
        'the best layer of each: linear-probe held-out top-1; task-generalization the ' +
        'held-out accuracy of a category or object readout, or the fit of a property; ' +
        'rsa Spearman r; neural-fit median noise-corrected explained variance; filters ' +
        'median Gabor score.',
    ),
    // Wide tables scroll inside the page instead of widening it.
    `<div class="wide">${renderSummary(context)}</div>`,
    '<details>\n<summary>Every result at the final checkpoint</summary>',
    `<div class="wide">${renderTable('final-results', headers, rows)}</div>`,
    '</details>',
  ].join('\n');
  return { id: 'final-results', title, html, figures: [] };
}
