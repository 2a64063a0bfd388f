import {
  listSweepRuns,
  readEvaluationScores,
  readLastMetricValues,
  type Database,
  type RunEvaluationScore,
  type RunMetricValue,
  type Sweep,
} from '@hourglass/db';
import {
  rankByMetric,
  readVariedParameters,
  SweepSpec,
  type MetricMode,
} from '@hourglass/sweeps';

import type { LeaderboardEntryView } from './sweep-views.ts';

/** Leaderboard metrics named `eval:<kind>` rank by an evaluation score. */
export const EVALUATION_METRIC_PREFIX = 'eval:';

/** Narrows an evaluation metric to one layer, area, method or checkpoint step. */
export interface EvaluationFilter {
  layer?: string;
  area?: string;
  method?: string;
  step?: number;
}

// Training metrics are read from the metric points; `eval:` metrics from
// the evaluation rows, best over whatever the filter leaves free.
async function readValues(
  db: Database,
  sweepId: string,
  request: LeaderboardRequest,
): Promise<(RunMetricValue & Partial<RunEvaluationScore>)[]> {
  if (!request.metric.startsWith(EVALUATION_METRIC_PREFIX)) {
    return readLastMetricValues(db, sweepId, request.metric);
  }
  const kind = request.metric.slice(EVALUATION_METRIC_PREFIX.length);
  return readEvaluationScores(db, sweepId, { kind, mode: request.mode, ...request.evaluation });
}

/** What a leaderboard ranks by, and how many entries it shows. */
export interface LeaderboardRequest {
  metric: string;
  mode: MetricMode;
  limit: number;
  evaluation?: EvaluationFilter;
}

/**
 * A sweep's runs ranked by the last value of a training metric, or by an
 * evaluation score at a checkpoint, best first, each with its varied
 * parameters; runs without a value come last, unranked.
 */
export async function buildLeaderboard(
  db: Database,
  sweep: Sweep,
  request: LeaderboardRequest,
): Promise<LeaderboardEntryView[]> {
  const spec = SweepSpec.parse(sweep.spec);
  const [runs, values] = await Promise.all([
    listSweepRuns(db, sweep.id),
    readValues(db, sweep.id, request),
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
      source:
        reading?.layer === undefined
          ? null
          : { layer: reading.layer, area: reading.area ?? '', method: reading.method ?? '' },
    };
  });
  return rankByMetric(entries, request.mode)
    .slice(0, request.limit)
    .map((entry, index) => ({ ...entry, rank: entry.value === null ? null : index + 1 }));
}
