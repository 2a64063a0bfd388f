/**
 * Report input for tests: two runs with metrics, evaluation rows of every
 * kind at two checkpoints, a failed evaluation and a filter grid.
 */
import { Resvg } from '@resvg/resvg-js';

import type { EvaluationRow, MetricPoint, ReportInput, RunMaterial } from './types.ts';

/** A real PNG (a small checkerboard), drawn by resvg. */
export function makeTestPng(): Uint8Array {
  const cells = [0, 1, 2, 3]
    .flatMap((row) => [0, 1, 2, 3].map((column) => [row, column] as const))
    .filter(([row, column]) => (row + column) % 2 === 0)
    .map(([row, column]) => `<rect x="${column * 4}" y="${row * 4}" width="4" height="4"/>`);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16">${cells.join('')}</svg>`;
  return new Resvg(svg, { background: 'white' }).render().asPng();
}

function row(fields: Partial<EvaluationRow> & Pick<EvaluationRow, 'kind'>): EvaluationRow {
  return {
    step: 100,
    layer: '',
    area: '',
    method: '',
    status: 'succeeded',
    score: null,
    details: null,
    error: null,
    ...fields,
  };
}

function curve(name: string, steps: number, start: number): MetricPoint[] {
  return Array.from({ length: steps }, (_, index) => ({
    name,
    step: index * 10,
    value: start / (1 + index),
  }));
}

function material(id: string, name: string | null, offset: number): RunMaterial {
  return {
    run: {
      id,
      sweepId: null,
      name,
      family: 'sparse-shallow-ae',
      status: 'succeeded',
      step: 100,
      totalSteps: 100,
      spec: {
        model: { family: 'sparse-shallow-ae', channels: 64, sparsity: { weight: 0.01 } },
        dataset: { kind: 'generated', seed: 0, trainSize: 400 },
        optimizer: { kind: 'adam', learningRate: 0.001 },
        batchSize: 16,
        seed: 3,
      },
    },
    metrics: [
      ...curve('loss/total', 11, 2 + offset),
      ...curve('loss/sparsity', 11, 0.5),
      ...curve('learning_rate', 11, 0.001),
    ],
    evaluations: [
      row({ step: 50, kind: 'linear-probe', layer: 'conv1', score: 0.1 }),
      row({ kind: 'linear-probe', layer: 'conv1', score: 0.25 + offset, details: { top5: 0.7 } }),
      row({ kind: 'linear-probe', layer: 'hidden', score: 0.3125 + offset }),
      row({ kind: 'rsa', layer: 'conv1', area: 'IT', method: 'image', score: 0.04,
        details: { ceiling: 0.6 } }),
      row({ kind: 'rsa', layer: 'conv1', area: 'V4', method: 'image', score: 0.12 }),
      row({ kind: 'neural-fit', layer: 'conv1', area: 'IT', method: 'ridge', score: 0.2,
        details: { perSite: [0.1, 0.2, 0.3] } }),
      row({ kind: 'task-generalization', layer: 'conv1', method: 'category', score: 0.4 }),
      row({ kind: 'task-generalization', area: 'IT', method: 'category', score: 0.8 }),
      row({ kind: 'filters', layer: 'conv1', score: 0.625 }),
      row({ kind: 'reconstructions', status: 'failed', error: 'disk <full> & gone' }),
    ],
    images: [{ kind: 'filters', step: 100, mediaType: 'image/png', bytes: makeTestPng() }],
  };
}

/** Two runs; the first one's name holds HTML special characters. */
export function makeReportInput(): ReportInput {
  return {
    title: 'test report',
    generatedAt: new Date('2026-01-02T03:04:05Z'),
    sources: [{ kind: 'run', id: '11111111-0000-4000-8000-000000000000', name: null }],
    runs: [
      material('11111111-0000-4000-8000-000000000000', '<b>bold</b> & "quoted"', 0),
      material('22222222-0000-4000-8000-000000000000', null, 0.1),
    ],
  };
}
