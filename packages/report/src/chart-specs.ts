import type { TopLevelSpec } from 'vega-lite';

/** One point of a training curve. */
export interface CurvePoint {
  run: string;
  step: number;
  value: number;
}

/** One point of a per-layer score chart. */
export interface LayerScore {
  run: string;
  layer: string;
  /** The layer's place among its run's encoding layers: 1 is nearest the input. */
  depth: number;
  /** Facet of the chart (a brain area); one panel per distinct value. */
  panel: string;
  score: number;
}

/** A score drawn as a dashed line across the chart: the neural data's own. */
export interface ReferenceScore {
  label: string;
  score: number;
}

const WIDTH = 420;
const HEIGHT = 240;
/**
 * A legend under the chart. Run labels hold a name and an id, so they are
 * long: one column for a few runs, two (each label cut shorter) for many.
 */
function legendFor(runs: Iterable<string>) {
  const isMany = new Set(runs).size > 6;
  return {
    orient: 'bottom',
    columns: isMany ? 2 : 1,
    labelLimit: isMany ? 260 : 520,
    title: null,
  } as const;
}

/** A line per run of one metric over training steps. */
export function curveChart(metric: string, points: readonly CurvePoint[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: metric,
    width: WIDTH,
    height: HEIGHT,
    data: { values: points.map((point) => ({ ...point })) },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step' },
      y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
      color: {
        field: 'run',
        type: 'nominal',
        legend: legendFor(points.map((point) => point.run)),
      },
    },
  };
}

/**
 * A line per run through its score at each encoding layer, one panel per
 * area when there is more than one. Runs of different families have
 * different layers, so then x is the layer's place in its own network
 * (1 = nearest the input) and the names are in the table beside; when all
 * runs share their layers, x names them. References (the neural data's
 * own score) are dashed lines, drawn on a single panel only.
 */
export function layerScoreChart(
  title: string,
  scoreTitle: string,
  scores: readonly LayerScore[],
  references: readonly ReferenceScore[] = [],
): TopLevelSpec {
  const panels = new Set(scores.map((score) => score.panel));
  const x = haveSharedLayers(scores)
    ? {
      field: 'layer',
      type: 'ordinal',
      title: 'encoding layer',
      sort: [...new Set(scores.map((score) => score.layer))],
      axis: { labelAngle: -30 },
    }
    : {
      field: 'depth',
      type: 'quantitative',
      title: 'encoding layer (1 = nearest the input)',
      axis: { tickMinStep: 1 },
    };
  const lines = {
    data: { values: scores.map((score) => ({ ...score })) },
    mark: { type: 'line', point: true, strokeWidth: 1.5 },
    encoding: {
      x,
      y: { field: 'score', type: 'quantitative', title: scoreTitle },
      color: {
        field: 'run',
        type: 'nominal',
        legend: legendFor(scores.map((score) => score.run)),
      },
    },
  } as const;

  if (panels.size > 1) {
    const { data, ...unit } = lines;
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title,
      data,
      facet: { field: 'panel', type: 'nominal', title: null },
      columns: 3,
      spec: { width: 260, height: 200, ...unit },
    } as TopLevelSpec;
  }
  const referenceData = { values: references.map((reference) => ({ ...reference })) };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: WIDTH,
    height: HEIGHT,
    layer: [
      lines,
      ...(references.length === 0
        ? []
        : [
          {
            data: referenceData,
            mark: { type: 'rule', strokeDash: [4, 4], color: '#555' },
            encoding: { y: { field: 'score', type: 'quantitative' } },
          },
          {
            data: referenceData,
            mark: { type: 'text', align: 'left', dx: 4, dy: -6, x: 0, color: '#555' },
            encoding: {
              y: { field: 'score', type: 'quantitative' },
              text: { field: 'label' },
            },
          },
        ]),
    ],
  } as TopLevelSpec;
}

/** Whether every run's chart points are at the same layer names. */
function haveSharedLayers(scores: readonly LayerScore[]): boolean {
  const layersByRun = new Map<string, Set<string>>();
  for (const score of scores) {
    const layers = layersByRun.get(score.run) ?? new Set<string>();
    layers.add(score.layer);
    layersByRun.set(score.run, layers);
  }
  const [first, ...others] = [...layersByRun.values()];
  if (!first) return true;
  return others.every(
    (layers) => layers.size === first.size && [...layers].every((layer) => first.has(layer)),
  );
}
