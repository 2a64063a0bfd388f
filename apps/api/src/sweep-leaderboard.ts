import {
  listSweepRuns,
  readLastMetricValues,
  type Database,
  type RunMetricLookup,
  type Sweep,
} from '@hourglass/db';
import {
  rankByMetric,
  readVariedParameters,
  SweepSpec,
  type MetricMode,
} from '@hourglass/sweeps';

import type { LeaderboardEntryView } from './sweep-views.ts';

/**
 * Where a metric's values come from. Every name is a training metric for
 * now; evaluation scores, once stored, get their own lookup here.
 */
function chooseMetricLookup(_metric: string): RunMetricLookup {
  return readLastMetricValues;
}

/** What a leaderboard ranks by, and how many entries it shows. */
export interface LeaderboardRequest {
  metric: string;
  mode: MetricMode;
  limit: number;
}

/**
 * A sweep's runs ranked by the last value of a metric, best first, each
 * with its varied parameters; runs that have not logged the metric come
 * last, unranked.
 */
export async function buildLeaderboard(
  db: Database,
  sweep: Sweep,
  request: LeaderboardRequest,
): Promise<LeaderboardEntryView[]> {
  const spec = SweepSpec.parse(sweep.spec);
  const lookup = chooseMetricLookup(request.metric);
  const [runs, values] = await Promise.all([
    listSweepRuns(db, sweep.id),
    lookup(db, sweep.id, request.metric),
  ]);
  const valueByRun = new Map(values.map((reading) => [reading.runId, reading]));

  const entries = runs.map((run) => {
    const reading = valueByRun.get(run.id);
    return {
      rank: null,
      runId: run.id,
      name: run.name,
      status: run.status,
      step: run.step,
      totalSteps: run.totalSteps,
      parameters: readVariedParameters(spec, run.spec),
      value: reading?.value ?? null,
      valueStep: reading?.step ?? null,
    };
  });
  return rankByMetric(entries, request.mode)
    .slice(0, request.limit)
    .map((entry, index) => ({ ...entry, rank: entry.value === null ? null : index + 1 }));
}
