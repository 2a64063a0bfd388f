import { useEffect, useState } from 'react';

import { fetchJson, toQuery } from '../api/client.ts';
import type { Evaluation, MetricPoint, Run } from '../api/types.ts';
import { appendPoints, type SeriesByName } from '../charts/series.ts';

/** One run as the compare page holds it. */
export interface ComparedRun {
  run: Run;
  series: SeriesByName;
  evaluations: Evaluation[];
}

/** Points per metric and run: several runs share one chart's width. */
const MAX_POINTS = 1_000;

async function loadRun(runId: string, signal: AbortSignal): Promise<ComparedRun> {
  const base = `/v1/runs/${runId}`;
  const [run, metrics, evaluations] = await Promise.all([
    fetchJson<Run>(base, { signal }),
    fetchJson<{ points: MetricPoint[] }>(`${base}/metrics${toQuery({ maxPoints: MAX_POINTS })}`, {
      signal,
    }),
    fetchJson<{ evaluations: Evaluation[] }>(`${base}/evaluations`, { signal }),
  ]);
  return { run, series: appendPoints({}, metrics.points), evaluations: evaluations.evaluations };
}

/**
 * Loads the chosen runs' metrics (thinned) and evaluations, again every
 * `refreshMs` so runs still training keep growing.
 */
export function useComparedRuns(runIds: readonly string[], refreshMs = 5_000) {
  const [runs, setRuns] = useState<ComparedRun[]>([]);
  const [error, setError] = useState<Error>();
  const key = runIds.join(',');

  useEffect(() => {
    const controller = new AbortController();
    const ids = key ? key.split(',') : [];
    const load = () =>
      Promise.all(ids.map((id) => loadRun(id, controller.signal))).then(
        (loaded) => {
          setRuns(loaded);
          setError(undefined);
        },
        (failure: Error) => {
          if (!controller.signal.aborted) setError(failure);
        },
      );
    void load();
    const timer = setInterval(load, refreshMs);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [key, refreshMs]);

  return { runs, error };
}
