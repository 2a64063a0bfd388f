import { useMemo, useState } from 'react';

import { toQuery } from '../api/client.ts';
import type { SweepDetail } from '../api/types.ts';
import { ScatterChart, type ScatterPoint } from '../charts/scatter-chart.tsx';
import { useJson } from '../hooks/use-json.ts';
import { Link } from '../router.tsx';
import { ErrorNote, Section, StatusBadge } from './common.tsx';
import { LeaderboardTable } from './leaderboard-table.tsx';
import { COUNT_ORDER } from './sweeps-page.tsx';

/** Metrics offered for ranking; any other name can be typed. */
const COMMON_METRICS = ['loss/total', 'loss/reconstruction', 'loss/sparsity', 'validation/top1'];

function toScatterPoint(parameter: unknown, value: number | null): ScatterPoint | undefined {
  if (value === null || parameter === undefined) return undefined;
  const x =
    typeof parameter === 'number' || typeof parameter === 'string'
      ? parameter
      : JSON.stringify(parameter);
  return { x, y: value };
}

/**
 * One sweep: its run counts, a leaderboard by a chosen metric (the API
 * ranks; the table re-sorts), and a scatter of the metric against each
 * varied hyperparameter.
 */
export function SweepPage({ sweepId }: { sweepId: string }) {
  const [metric, setMetric] = useState<string>();
  const [mode, setMode] = useState<'min' | 'max'>();
  const path = `/v1/sweeps/${sweepId}${toQuery({ metric, mode, limit: 1000 })}`;
  const sweep = useJson<SweepDetail>(path, 3_000);
  const leaderboard = sweep.data?.leaderboard;
  const parameterNames = useMemo(
    () => [...new Set(leaderboard?.entries.flatMap((e) => Object.keys(e.parameters)) ?? [])].sort(),
    [leaderboard],
  );
  const [chosenParameter, setParameter] = useState<string>();
  const parameter = chosenParameter ?? parameterNames[0];
  const points = useMemo(
    () =>
      (leaderboard?.entries ?? [])
        .map((entry) => toScatterPoint(parameter && entry.parameters[parameter], entry.value))
        .filter((point): point is ScatterPoint => point !== undefined),
    [leaderboard, parameter],
  );

  return (
    <div className="page sweep">
      <p className="crumbs">
        <Link to="/sweeps">Sweeps</Link> /
      </p>
      <ErrorNote error={sweep.error} />
      {sweep.data && (
        <>
          <h1>
            {sweep.data.name ?? sweep.data.id} <StatusBadge status={sweep.data.status} />
          </h1>
          <dl className="counts">
            {COUNT_ORDER.map((status) => (
              <div key={status} data-count={status}>
                <dt>{status.replace('_', ' ')}</dt>
                <dd>{sweep.data!.counts[status]}</dd>
              </div>
            ))}
          </dl>
          <Section title="Leaderboard" id="leaderboard">
            <form className="inline" onSubmit={(event) => event.preventDefault()}>
              <label>
                metric{' '}
                <input
                  list="metric-names"
                  defaultValue={leaderboard?.metric}
                  onBlur={(event) => setMetric(event.target.value || undefined)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') setMetric(event.currentTarget.value || undefined);
                  }}
                />
                <datalist id="metric-names">
                  {COMMON_METRICS.map((name) => (
                    <option key={name} value={name} />
                  ))}
                </datalist>
              </label>
              <label>
                best is{' '}
                <select
                  value={mode ?? leaderboard?.mode ?? 'min'}
                  onChange={(event) => setMode(event.target.value as 'min' | 'max')}
                >
                  <option value="min">lowest</option>
                  <option value="max">highest</option>
                </select>
              </label>
            </form>
            {leaderboard && (
              <LeaderboardTable entries={leaderboard.entries} metric={leaderboard.metric} />
            )}
          </Section>
          <Section title="Hyperparameters against the metric" id="scatter">
            {parameterNames.length === 0 ? (
              <p className="muted">This sweep varies only the seed.</p>
            ) : (
              <>
                <label>
                  hyperparameter{' '}
                  <select value={parameter} onChange={(event) => setParameter(event.target.value)}>
                    {parameterNames.map((name) => (
                      <option key={name}>{name}</option>
                    ))}
                  </select>
                </label>
                <ScatterChart
                  title={`${leaderboard?.metric} by ${parameter}`}
                  xLabel={parameter ?? ''}
                  yLabel={leaderboard?.metric ?? ''}
                  points={points}
                />
              </>
            )}
          </Section>
        </>
      )}
    </div>
  );
}
