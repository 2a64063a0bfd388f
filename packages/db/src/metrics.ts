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
