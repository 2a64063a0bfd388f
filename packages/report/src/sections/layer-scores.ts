import { layerScoreChart, type LayerScore } from '../chart-specs.ts';
import { detailArray, detailNumber, selectFinalResults } from '../final-checkpoint.ts';
import {
  escapeHtml,
  formatScore,
  numberCell,
  paragraph,
  renderFigureWithTable,
  renderImage,
  renderTable,
  type Cell,
} from '../html.ts';
import { compareLayers } from '../layer-order.ts';
import { renderChartPng } from '../render-chart.ts';
import type { EvaluationRow, Figure, ReportSection } from '../types.ts';
import { makeFigure, slugify, type SectionContext } from './context.ts';

/** An extra column of a layer-score table, read from a row's details. */
interface DetailColumn {
  header: string;
  read(row: EvaluationRow): string;
}

/** How one evaluation kind is shown: per layer, grouped by method, split by area. */
export interface LayerScoreKind {
  id: string;
  kind: string;
  title: string;
  description: string;
  scoreTitle: string;
  /** One chart and table per method (RSA's image or object RDMs, ridge or PLS). */
  isGroupedByMethod: boolean;
  columns: readonly DetailColumn[];
}

/** The evaluation kinds with a score per encoding layer, as the report shows them. */
export const LAYER_SCORE_KINDS: readonly LayerScoreKind[] = [
  {
    id: 'linear-probe',
    kind: 'linear-probe',
    title: 'Linear probe accuracy per layer',
    description:
      'A linear softmax classifier on frozen features of each encoding layer: ' +
      'held-out top-1 accuracy.',
    scoreTitle: 'top-1',
    isGroupedByMethod: false,
    columns: [{ header: 'top-5', read: (row) => formatDetail(detailNumber(row, 'top5')) }],
  },
  {
    id: 'task-generalization',
    kind: 'task-generalization',
    title: 'Task generalization per layer',
    description:
      'Linear readouts of each layer on the neural stimulus set, one task each ' +
      '(category, object, a continuous property); rows with an area and no layer ' +
      'are the same readout from the recorded sites, the reference.',
    scoreTitle: 'score',
    isGroupedByMethod: true,
    columns: [],
  },
  {
    id: 'rsa',
    kind: 'rsa',
    title: 'Representational similarity per area and layer',
    description:
      'Spearman r between the layer\'s RDM and each area\'s RDM (area "category": ' +
      'the category-membership RDM), with the neural data\'s split-half ceiling.',
    scoreTitle: 'Spearman r',
    isGroupedByMethod: true,
    columns: [{ header: 'ceiling', read: (row) => formatDetail(detailNumber(row, 'ceiling')) }],
  },
  {
    id: 'neural-fit',
    kind: 'neural-fit',
    title: 'Neural fit per area and layer',
    description:
      'Cross-validated regression from each layer to every recorded site: median ' +
      'noise-corrected explained variance over the area\'s sites.',
    scoreTitle: 'explained variance',
    isGroupedByMethod: true,
    columns: [
      {
        header: 'sites',
        read: (row) => {
          const perSite = detailArray(row, 'perSite');
          return perSite === undefined ? '–' : String(perSite.length);
        },
      },
    ],
  },
];

function formatDetail(value: number | undefined): string {
  return value === undefined ? '–' : formatScore(value);
}

/** Where a row sits on the chart: its layer, or the neural reference of its area. */
export function layerLabel(row: EvaluationRow): string {
  return row.layer === '' && row.area !== '' ? `neural data (${row.area})` : row.layer;
}

/** A layer's place among the layers its run has rows for, 1 nearest the input. */
function depthOf(rows: readonly LabelledRow[], label: string, layer: string): number {
  const ofRun = rows.filter((entry) => entry.label === label && entry.row.layer !== '');
  const layers = [...new Set(ofRun.map((entry) => entry.row.layer))].sort(compareLayers);
  return layers.indexOf(layer) + 1;
}

interface LabelledRow {
  label: string;
  row: EvaluationRow;
}

async function buildGroup(
  context: SectionContext,
  kind: LayerScoreKind,
  method: string,
  rows: readonly LabelledRow[],
): Promise<{ html: string; figure: Figure }> {
  const title = method ? `${kind.kind}: ${method}` : kind.kind;
  const hasAreas = rows.some(({ row }) => row.area !== '' && row.layer !== '');
  const scored = rows.filter(({ row }) => row.score !== null);
  const scores: LayerScore[] = scored
    .filter(({ row }) => row.layer !== '')
    .map(({ label, row }) => ({
      run: label,
      layer: row.layer,
      depth: depthOf(rows, label, row.layer),
      panel: row.area,
      score: row.score!,
    }));
  // The neural data's own score is the same whichever run's rows hold it.
  const references = new Map<string, number>();
  for (const { row } of scored) {
    if (row.layer === '') references.set(layerLabel(row), row.score!);
  }
  const chart = layerScoreChart(
    title,
    kind.scoreTitle,
    scores,
    [...references].map(([label, score]) => ({ label, score })),
  );
  const png = await renderChartPng(chart);
  const figure = makeFigure(context, slugify(title), title, png);

  const headers = ['run', 'layer', ...(hasAreas ? ['area'] : []), kind.scoreTitle];
  const tableRows = rows.map(({ label, row }): (Cell | string)[] => [
    label,
    layerLabel(row),
    ...(hasAreas ? [row.area] : []),
    numberCell(formatScore(row.score)),
    ...kind.columns.map((column) => numberCell(column.read(row))),
  ]);
  const table = renderTable(
    method ? `${kind.id}:${method}` : kind.id,
    [...headers, ...kind.columns.map((column) => column.header)],
    tableRows,
  );
  const html =
    (method ? `<h3>${escapeHtml(title)}</h3>\n` : '') +
    renderFigureWithTable(renderImage(png, title, figure.fileName), table);
  return { html, figure };
}

/**
 * One evaluation kind at each run's final checkpoint: a chart of the score
 * per layer, a line per run and a panel per area, with the numbers beside
 * it; one chart per method where the kind has methods.
 * Undefined when no run has results of this kind.
 */
export async function buildLayerScores(
  context: SectionContext,
  kind: LayerScoreKind,
): Promise<ReportSection | undefined> {
  const rows: LabelledRow[] = context.runs.flatMap(({ run, evaluations }) =>
    selectFinalResults(evaluations)
      .filter((row) => row.kind === kind.kind)
      .sort(
        (a, b) =>
          compareLayers(a.layer, b.layer) ||
          a.area.localeCompare(b.area) ||
          a.method.localeCompare(b.method),
      )
      .map((row) => ({ label: context.labels.get(run.id)!, row })),
  );
  if (rows.length === 0) return undefined;

  const methods = kind.isGroupedByMethod
    ? [...new Set(rows.map(({ row }) => row.method))].sort()
    : [''];
  const parts = [paragraph(kind.description)];
  const figures: Figure[] = [];
  for (const method of methods) {
    const groupRows = kind.isGroupedByMethod
      ? rows.filter(({ row }) => row.method === method)
      : rows;
    const group = await buildGroup(context, kind, method, groupRows);
    parts.push(group.html);
    figures.push(group.figure);
  }
  return { id: kind.id, title: kind.title, html: parts.join('\n'), figures };
}
