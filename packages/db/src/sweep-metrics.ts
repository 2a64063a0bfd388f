import type { Database } from './database.ts';

/** One number per run for ranking a sweep's runs, and the step it is from. */
export interface RunMetricValue {
  runId: string;
  step: number;
  value: number;
}

/**
 * Where a leaderboard reads one value per run of a sweep. Training
 * metrics come from readLastMetricValues; evaluation scores, once stored,
 * can be another lookup of the same shape, chosen by the metric's name.
 */
export type RunMetricLookup = (
  db: Database,
  sweepId: string,
  metric: string,
) => Promise<RunMetricValue[]>;

/**
 * The last logged value of a training metric for each run of a sweep that
 * has logged it. Each run costs one backward step down the metric points'
 * primary key (run, name, step), however long the run.
 */
export const readLastMetricValues: RunMetricLookup = async (db, sweepId, metric) => {
  return db.$queryRaw<RunMetricValue[]>`
    SELECT r.id AS "runId", last.step, last.value
    FROM "Run" r
    CROSS JOIN LATERAL (
      SELECT m.step, m.value FROM "MetricPoint" m
      WHERE m."runId" = r.id AND m.name = ${metric}
      ORDER BY m.step DESC
      LIMIT 1
    ) last
    WHERE r."sweepId" = ${sweepId}::uuid`;
};

/** Which values make a run's metric at a rung of successive halving. */
export interface RungQuery {
  sweepId: string;
  metric: string;
  /** The rung, in steps. */
  step: number;
  /** How many of the last values up to the rung are averaged. */
  window: number;
}

/** A run's metric at a rung: the mean of its last values up to the rung. */
export interface RungValue {
  runId: string;
  value: number;
}

/**
 * The metric at a rung of every run of a sweep that has reached it (logged
 * the metric at the rung's step or later): the mean of its last `window`
 * values at or before the rung. Runs stopped before the rung are left out,
 * as successive halving compares only the runs that got there.
 */
export async function readRungValues(db: Database, query: RungQuery): Promise<RungValue[]> {
  const { sweepId, metric, step, window } = query;
  return db.$queryRaw<RungValue[]>`
    SELECT r.id AS "runId", recent.value
    FROM "Run" r
    CROSS JOIN LATERAL (
      SELECT avg(tail.value) AS value FROM (
        SELECT m.value FROM "MetricPoint" m
        WHERE m."runId" = r.id AND m.name = ${metric} AND m.step <= ${step}
        ORDER BY m.step DESC
        LIMIT ${window}
      ) tail
    ) recent
    WHERE r."sweepId" = ${sweepId}::uuid
      AND recent.value IS NOT NULL
      AND EXISTS (
        SELECT 1 FROM "MetricPoint" reached
        WHERE reached."runId" = r.id AND reached.name = ${metric} AND reached.step >= ${step}
      )`;
}

/** Which evaluation score ranks a sweep's runs. */
export interface EvaluationScoreQuery {
  kind: string;
  /** Unset fields are free: the best matching score counts. */
  layer?: string;
  area?: string;
  method?: string;
  /** The checkpoint step; by default each run's latest evaluated one. */
  step?: number;
  mode: 'min' | 'max';
}

/** A run's evaluation score, and the layer, area and method it came from. */
export interface RunEvaluationScore extends RunMetricValue {
  layer: string;
  area: string;
  method: string;
}

/**
 * One evaluation score per run of a sweep: among its succeeded rows that
 * match the query, those of the chosen (or latest) checkpoint, and of
 * those the best by `mode`.
 */
export async function readEvaluationScores(
  db: Database,
  sweepId: string,
  query: EvaluationScoreQuery,
): Promise<RunEvaluationScore[]> {
  const rows = await db.evaluation.findMany({
    where: {
      run: { sweepId },
      kind: query.kind,
      status: 'succeeded',
      score: { not: null },
      ...(query.layer !== undefined ? { layer: query.layer } : {}),
      ...(query.area !== undefined ? { area: query.area } : {}),
      ...(query.method !== undefined ? { method: query.method } : {}),
      ...(query.step !== undefined ? { step: query.step } : {}),
    },
    orderBy: [{ runId: 'asc' }, { step: 'desc' }, { score: query.mode === 'max' ? 'desc' : 'asc' }],
    select: { runId: true, step: true, score: true, layer: true, area: true, method: true },
  });
  const best = new Map<string, RunEvaluationScore>();
  for (const row of rows) {
    if (best.has(row.runId)) continue;
    best.set(row.runId, { ...row, value: row.score! });
  }
  return [...best.values()];
}
