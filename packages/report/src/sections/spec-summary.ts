import { numberCell, renderTable } from '../html.ts';
import type { ReportRun, ReportSection } from '../types.ts';
import type { SectionContext } from './context.ts';

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function formatValue(value: unknown): string {
  if (typeof value === 'number') return String(Number(value.toPrecision(4)));
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** `key=value` pairs of an object, nested objects flattened with dots. */
function flatten(record: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(record).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return flatten(value as Record<string, unknown>, path);
    }
    return value === undefined ? [] : [`${path}=${formatValue(value)}`];
  });
}

/** The model's hyperparameters as stored: every model field but the family. */
export function describeModel(spec: Record<string, unknown>): string {
  const { family: _family, ...fields } = asRecord(spec.model);
  return flatten(fields).join(' ');
}

/** The dataset in a few words: its kind and what chooses its images. */
export function describeDataset(spec: Record<string, unknown>): string {
  const { kind, ...fields } = asRecord(spec.dataset);
  const details = flatten(fields).join(' ');
  return details ? `${String(kind ?? '?')} (${details})` : String(kind ?? '?');
}

/** The optimizer kind and its learning rate. */
export function describeOptimizer(spec: Record<string, unknown>): string {
  const optimizer = asRecord(spec.optimizer);
  const rate = optimizer.learningRate;
  const kind = String(optimizer.kind ?? '?');
  return rate === undefined ? kind : `${kind} lr=${formatValue(rate)}`;
}

/** The values a sweep gave this run, `path=value`; empty for a run of no sweep. */
export function describeParameters(parameters: Record<string, unknown> | undefined): string {
  if (parameters === undefined) return '';
  return Object.entries(parameters)
    .map(([path, value]) => `${path}=${formatValue(value)}`)
    .join(' ');
}

function describeSteps(run: ReportRun): string {
  return run.totalSteps === null ? String(run.step) : `${run.step} / ${run.totalSteps}`;
}

/**
 * A table of what each run is: family, status, steps, dataset, optimizer,
 * what its sweep varied, and every model hyperparameter.
 */
export function buildSpecSummary(context: SectionContext): ReportSection {
  const rows = context.runs.map(({ run }) => [
    context.labels.get(run.id)!,
    run.id,
    run.family,
    run.status,
    numberCell(describeSteps(run)),
    describeDataset(run.spec),
    describeOptimizer(run.spec),
    numberCell(formatValue(run.spec.batchSize ?? '?')),
    numberCell(formatValue(run.spec.seed ?? '?')),
    describeParameters(run.sweepParameters),
    describeModel(run.spec),
  ]);
  const headers = [
    'run',
    'id',
    'family',
    'status',
    'steps',
    'dataset',
    'optimizer',
    'batch',
    'seed',
    'sweep parameters',
    'model hyperparameters',
  ];
  return {
    id: 'runs',
    title: 'Runs',
    html: `<div class="wide">${renderTable('runs', headers, rows)}</div>`,
    figures: [],
  };
}
