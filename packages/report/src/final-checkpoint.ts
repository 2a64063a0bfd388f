import type { EvaluationRow } from './types.ts';

/**
 * The step of a run's final evaluated checkpoint: the largest step with
 * succeeded evaluation rows. Steps whose rows are all pending, running or
 * failed have no results yet, so they would show an empty table instead of
 * the last results there are. Undefined when the run has no results.
 */
export function findFinalStep(evaluations: readonly EvaluationRow[]): number | undefined {
  let finalStep: number | undefined;
  for (const row of evaluations) {
    if (row.status !== 'succeeded') continue;
    if (finalStep === undefined || row.step > finalStep) finalStep = row.step;
  }
  return finalStep;
}

/** The succeeded rows at the run's final evaluated checkpoint. */
export function selectFinalResults(evaluations: readonly EvaluationRow[]): EvaluationRow[] {
  const finalStep = findFinalStep(evaluations);
  if (finalStep === undefined) return [];
  return evaluations.filter((row) => row.status === 'succeeded' && row.step === finalStep);
}

/** A field of an evaluation row's details, when it is a finite number. */
export function detailNumber(row: EvaluationRow, field: string): number | undefined {
  const details = row.details;
  if (typeof details !== 'object' || details === null) return undefined;
  const value = (details as Record<string, unknown>)[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A field of an evaluation row's details, when it is an array. */
export function detailArray(row: EvaluationRow, field: string): unknown[] | undefined {
  const details = row.details;
  if (typeof details !== 'object' || details === null) return undefined;
  const value = (details as Record<string, unknown>)[field];
  return Array.isArray(value) ? value : undefined;
}
