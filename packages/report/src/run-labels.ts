import type { ReportRun } from './types.ts';

/**
 * A short label for each run, used in legends and tables: its name, or its
 * family, with the first 8 characters of its id so that runs sharing a
 * name (the runs of a sweep with one seed each) stay apart.
 */
export function labelRuns(runs: readonly ReportRun[]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const run of runs) {
    labels.set(run.id, `${run.name ?? run.family} (${run.id.slice(0, 8)})`);
  }
  return labels;
}
