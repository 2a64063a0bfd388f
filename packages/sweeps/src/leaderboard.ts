import { getAtPath } from './dotted-path.ts';
import type { ParameterValues } from './expand-sweep.ts';
import type { MetricMode } from './successive-halving.ts';
import type { SweepSpec } from './sweep-spec.ts';

/**
 * The values a run took for its sweep's varied parameters, read back from
 * its stored spec (and `seed` when the sweep lists seeds), so nothing but
 * the spec needs keeping.
 */
export function readVariedParameters(sweep: SweepSpec, runSpec: unknown): ParameterValues {
  const paths = [...Object.keys(sweep.parameters), ...(sweep.seeds ? ['seed'] : [])];
  const values: ParameterValues = {};
  for (const path of paths) {
    const value = getAtPath(runSpec, path);
    if (value !== undefined) values[path] = value;
  }
  return values;
}

/**
 * Orders runs by a metric, best first (smallest for `min`, largest for
 * `max`); runs without a value come last, in their given order.
 */
export function rankByMetric<Entry extends { value: number | null }>(
  entries: readonly Entry[],
  mode: MetricMode,
): Entry[] {
  const sign = mode === 'min' ? 1 : -1;
  return [...entries].sort((a, b) => {
    const hasA = a.value !== null && !Number.isNaN(a.value);
    const hasB = b.value !== null && !Number.isNaN(b.value);
    if (!hasA || !hasB) return Number(hasB) - Number(hasA);
    return sign * (a.value! - b.value!);
  });
}
