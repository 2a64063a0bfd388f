import { numberCell, renderTable } from '../html.ts';
import type { ReportSection } from '../types.ts';
import type { SectionContext } from './context.ts';

/** Failed evaluations of every run and checkpoint, with their errors; undefined if none. */
export function buildFailures(context: SectionContext): ReportSection | undefined {
  const rows = context.runs.flatMap(({ run, evaluations }) =>
    evaluations
      .filter((row) => row.status === 'failed')
      .map((row) => [
        context.labels.get(run.id)!,
        numberCell(String(row.step)),
        row.kind,
        row.layer,
        row.area,
        row.method,
        row.error ?? '',
      ]),
  );
  if (rows.length === 0) return undefined;
  const headers = ['run', 'step', 'kind', 'layer', 'area', 'method', 'error'];
  return {
    id: 'failures',
    title: 'Failed evaluations',
    html: renderTable('failures', headers, rows),
    figures: [],
  };
}
