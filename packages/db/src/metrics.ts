import type { Database } from './database.ts';
import type { MetricPoint } from './generated/client.ts';

export type { MetricPoint } from './generated/client.ts';

/** One value of one metric at one training step. */
export interface MetricValue {
  name: string;
  step: number;
  value: number;
}

/**
 * Writes a batch of metric points. A point that already exists for the same
 * run, name and step is kept as it was, so a batch replayed after a crash
 * never writes a metric twice. Returns how many points were new.
 */
export async function recordMetrics(
  db: Database,
  runId: string,
  points: readonly MetricValue[],
): Promise<number> {
  if (points.length === 0) return 0;
  const written = await db.metricPoint.createMany({
    data: points.map((point) => ({ runId, ...point })),
    skipDuplicates: true,
  });
  return written.count;
}

export interface MetricQuery {
  name?: string;
  afterStep?: number;
  limit: number;
}

/** A run's metric points in step order, optionally one metric after a step. */
export async function listMetrics(
  db: Database,
  runId: string,
  query: MetricQuery,
): Promise<MetricPoint[]> {
  return db.metricPoint.findMany({
    where: {
      runId,
      ...(query.name ? { name: query.name } : {}),
      ...(query.afterStep !== undefined ? { step: { gt: query.afterStep } } : {}),
    },
    orderBy: [{ step: 'asc' }, { name: 'asc' }],
    take: query.limit,
  });
}

/** Which metric points to thin out, and to how many per metric name. */
export interface DownsampleQuery {
  name?: string;
  afterStep?: number;
  /** At most this many points per metric name; at least 4. */
  maxPoints: number;
}

/**
 * A run's metric points thinned to at most `maxPoints` per name, in step
 * order. A series that fits is returned whole. A longer one is cut into
 * maxPoints / 4 buckets of equal point count, and each bucket keeps its
 * first, last, smallest and largest point (the min/max decimation chart
 * libraries use): the series keeps its ends and every spike, which evenly
 * spaced sampling would drop. One query, whatever the series' length.
 */
export async function listDownsampledMetrics(
  db: Database,
  runId: string,
  query: DownsampleQuery,
): Promise<MetricPoint[]> {
  const bucketCount = Math.max(1, Math.floor(query.maxPoints / 4));
  const name = query.name ?? null;
  const afterStep = query.afterStep ?? -1;
  return db.$queryRaw<MetricPoint[]>`
    WITH series AS (
      SELECT m.name, m.step, m.value, m."createdAt",
        row_number() OVER (PARTITION BY m.name ORDER BY m.step) - 1 AS position,
        count(*) OVER (PARTITION BY m.name) AS size
      FROM "MetricPoint" m
      WHERE m."runId" = ${runId}::uuid
        AND (${name}::text IS NULL OR m.name = ${name}::text)
        AND m.step > ${afterStep}
    ), bucketed AS (
      SELECT *, floor(position * ${bucketCount}::int / size) AS bucket FROM series
    ), ranked AS (
      SELECT *,
        row_number() OVER (PARTITION BY name, bucket ORDER BY step) AS from_start,
        row_number() OVER (PARTITION BY name, bucket ORDER BY step DESC) AS from_end,
        row_number() OVER (PARTITION BY name, bucket ORDER BY value, step) AS from_min,
        row_number() OVER (PARTITION BY name, bucket ORDER BY value DESC, step) AS from_max
      FROM bucketed
    )
    SELECT ${runId}::uuid AS "runId", name, step, value, "createdAt"
    FROM ranked
    WHERE size <= ${query.maxPoints}
      OR from_start = 1 OR from_end = 1 OR from_min = 1 OR from_max = 1
    ORDER BY step, name`;
}
