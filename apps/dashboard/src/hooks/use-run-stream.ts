import { useEffect, useState } from 'react';

import { fetchJson, toQuery } from '../api/client.ts';
import type { Artifact, Evaluation, MetricPoint, Run } from '../api/types.ts';
import { appendPoints, type SeriesByName } from '../charts/series.ts';

/** Everything the run page shows, kept current by the run's event stream. */
export interface RunState {
  run: Run | undefined;
  series: SeriesByName;
  evaluations: Evaluation[];
  artifacts: Artifact[];
  /** Whether the event stream is open (false while it reconnects). */
  isLive: boolean;
  error: Error | undefined;
}

/** Points per metric fetched for the history; a chart is about 1,000 pixels wide. */
export const DEFAULT_MAX_POINTS = 2_000;

function upsertById<Row extends { id: string }>(
  rows: readonly Row[],
  changed: readonly Row[],
  removedIds: readonly string[],
): Row[] {
  const gone = new Set([...removedIds, ...changed.map((row) => row.id)]);
  return [...rows.filter((row) => !gone.has(row.id)), ...changed];
}

/**
 * Loads a run, its metric history (thinned on the server to `maxPoints` per
 * metric), its evaluations and artifacts, then follows it through
 * GET /v1/runs/:id/events from the last step loaded. EventSource
 * reconnects by itself and resumes after the last step it received.
 */
export function useRunStream(runId: string, maxPoints = DEFAULT_MAX_POINTS): RunState {
  const [state, setState] = useState<RunState>({
    run: undefined,
    series: {},
    evaluations: [],
    artifacts: [],
    isLive: false,
    error: undefined,
  });

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    let source: EventSource | undefined;
    const update = (change: (previous: RunState) => Partial<RunState>) =>
      setState((previous) => ({ ...previous, ...change(previous) }));

    async function load(): Promise<void> {
      const base = `/v1/runs/${runId}`;
      const [run, metrics, evaluations, artifacts] = await Promise.all([
        fetchJson<Run>(base, { signal }),
        fetchJson<{ points: MetricPoint[] }>(`${base}/metrics${toQuery({ maxPoints })}`, {
          signal,
        }),
        fetchJson<{ evaluations: Evaluation[] }>(`${base}/evaluations`, { signal }),
        fetchJson<{ artifacts: Artifact[] }>(`${base}/artifacts`, { signal }),
      ]);
      const series = appendPoints({}, metrics.points);
      const lastStep = metrics.points.reduce((last, point) => Math.max(last, point.step), -1);
      setState({
        run,
        series,
        evaluations: evaluations.evaluations,
        artifacts: artifacts.artifacts,
        isLive: false,
        error: undefined,
      });
      if (signal.aborted) return;

      source = new EventSource(`${base}/events${toQuery({ afterStep: lastStep })}`);
      source.onopen = () => update(() => ({ isLive: true }));
      source.onerror = () => update(() => ({ isLive: false }));
      source.addEventListener('run', (event) => {
        update(() => ({ run: JSON.parse(event.data) as Run }));
      });
      source.addEventListener('metrics', (event) => {
        const { points } = JSON.parse(event.data) as { points: MetricPoint[] };
        update((previous) => ({ series: appendPoints(previous.series, points) }));
      });
      source.addEventListener('evaluations', (event) => {
        const body = JSON.parse(event.data) as { evaluations: Evaluation[]; removedIds: string[] };
        update((previous) => ({
          evaluations: upsertById(previous.evaluations, body.evaluations, body.removedIds),
        }));
      });
      source.addEventListener('artifacts', (event) => {
        const body = JSON.parse(event.data) as { artifacts: Artifact[]; removedIds: string[] };
        update((previous) => ({
          artifacts: upsertById(previous.artifacts, body.artifacts, body.removedIds),
        }));
      });
      source.addEventListener('gone', () => source?.close());
    }

    load().catch((error: Error) => {
      if (!signal.aborted) update(() => ({ error }));
    });
    return () => {
      controller.abort();
      source?.close();
    };
  }, [runId, maxPoints]);

  return state;
}
