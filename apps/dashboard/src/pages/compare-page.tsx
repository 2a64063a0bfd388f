import { useMemo } from 'react';

import type { RunPage } from '../api/types.ts';
import { LineChart } from '../charts/line-chart.tsx';
import { sortMetricNames, type Series } from '../charts/series.ts';
import { latestScores } from '../evaluations/evaluation-charts.ts';
import { useComparedRuns, type ComparedRun } from '../hooks/use-compared-runs.ts';
import { useJson } from '../hooks/use-json.ts';
import { Link, navigate } from '../router.tsx';
import { ErrorNote, formatValue, runLabel, Section, StatusBadge } from './common.tsx';

function RunPicker({ selected }: { selected: string[] }) {
  const runs = useJson<RunPage>('/v1/runs?limit=100', 5_000);
  const toggle = (runId: string) => {
    const next = selected.includes(runId)
      ? selected.filter((id) => id !== runId)
      : [...selected, runId];
    navigate(next.length ? `/compare?runs=${next.join(',')}` : '/compare', { replace: true });
  };
  return (
    <div className="run-picker">
      <ErrorNote error={runs.error} />
      {runs.data?.runs.map((run) => (
        <label key={run.id} data-run-id={run.id}>
          <input
            type="checkbox"
            checked={selected.includes(run.id)}
            onChange={() => toggle(run.id)}
          />{' '}
          {runLabel(run)} <StatusBadge status={run.status} />
        </label>
      ))}
    </div>
  );
}

/** A run's line label; names repeat across runs, so the id's start tells them apart. */
function seriesLabel(run: ComparedRun): string {
  return `${runLabel(run.run)} · ${run.run.id.slice(0, 6)}`;
}

/** The last value of a metric in a run's series. */
function lastValue(run: ComparedRun, name: string): number | undefined {
  return run.series[name]?.values.at(-1);
}

function ResultsTable({ runs, metricNames }: { runs: ComparedRun[]; metricNames: string[] }) {
  const scores = runs.map((run) => latestScores(run.evaluations));
  const scoreNames = [...new Set(scores.flatMap((map) => [...map.keys()]))].sort();
  return (
    <table className="compare-table">
      <thead>
        <tr>
          <th />
          {runs.map(({ run }) => (
            <th key={run.id}>
              <Link to={`/runs/${run.id}`}>{runLabel(run)}</Link>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        <tr>
          <th>status</th>
          {runs.map(({ run }) => (
            <td key={run.id}>
              <StatusBadge status={run.status} />
            </td>
          ))}
        </tr>
        <tr>
          <th>family</th>
          {runs.map(({ run }) => (
            <td key={run.id}>{run.family}</td>
          ))}
        </tr>
        <tr>
          <th>step</th>
          {runs.map(({ run }) => (
            <td key={run.id}>{run.step}</td>
          ))}
        </tr>
        {metricNames.map((name) => (
          <tr key={name} data-metric={name}>
            <th>{name} (last)</th>
            {runs.map((run) => (
              <td key={run.run.id}>{formatValue(lastValue(run, name))}</td>
            ))}
          </tr>
        ))}
        {scoreNames.map((name) => (
          <tr key={name} data-score={name}>
            <th>{name}</th>
            {scores.map((map, index) => (
              <td key={runs[index]!.run.id}>{formatValue(map.get(name))}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Several runs side by side: pick them, see every metric's curves overlaid
 * (one line per run), and their last metric values and latest evaluation
 * scores in one table. The choice lives in the URL (`?runs=a,b`), so a
 * comparison can be shared.
 */
export function ComparePage({ runIds }: { runIds: string[] }) {
  const { runs, error } = useComparedRuns(runIds);
  const metricNames = useMemo(
    () => sortMetricNames(new Set(runs.flatMap((run) => Object.keys(run.series)))),
    [runs],
  );
  const charts = useMemo(
    () =>
      metricNames.map((name) => ({
        name,
        series: runs
          .filter((run) => run.series[name])
          .map((run): Series => ({ label: seriesLabel(run), ...run.series[name]! })),
      })),
    [metricNames, runs],
  );

  return (
    <div className="page compare">
      <h1>Compare runs</h1>
      <div className="columns">
        <Section title="Runs" id="pick">
          <RunPicker selected={runIds} />
        </Section>
        <div>
          <ErrorNote error={error} />
          {runs.length === 0 && <p className="muted">Pick two or more runs to compare.</p>}
          {runs.length > 0 && (
            <>
              <Section title="Results" id="results">
                <ResultsTable runs={runs} metricNames={metricNames} />
              </Section>
              <Section title="Curves" id="curves">
                <div className="chart-grid">
                  {charts.map((chart) => (
                    <LineChart key={chart.name} title={chart.name} series={chart.series} />
                  ))}
                </div>
              </Section>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
