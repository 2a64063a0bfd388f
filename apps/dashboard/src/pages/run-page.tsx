import { useMemo } from 'react';

import { LineChart } from '../charts/line-chart.tsx';
import { sortMetricNames } from '../charts/series.ts';
import { DEFAULT_MAX_POINTS, useRunStream } from '../hooks/use-run-stream.ts';
import { Link } from '../router.tsx';
import { ArtifactGallery } from './artifact-gallery.tsx';
import { ErrorNote, runLabel, Section, StatusBadge } from './common.tsx';
import { EvaluationPanel } from './evaluation-panel.tsx';
import { RunActions } from './run-actions.tsx';

/**
 * One run, live: status and attempts, a training curve for every logged
 * metric, evaluation results over checkpoints, their images, and the spec.
 * `?maxPoints=` changes how many points per metric the history loads.
 */
export function RunPage({ runId, maxPoints }: { runId: string; maxPoints?: number }) {
  const state = useRunStream(runId, maxPoints ?? DEFAULT_MAX_POINTS);
  const { run } = state;
  const names = useMemo(() => sortMetricNames(Object.keys(state.series)), [state.series]);
  const charts = useMemo(
    () =>
      names.map((name) => ({ name, series: [{ label: name, ...state.series[name]! }] })),
    [names, state.series],
  );

  return (
    <div className="page run">
      <p className="crumbs">
        <Link to="/">Overview</Link> /
        {run?.sweepId && <Link to={`/sweeps/${run.sweepId}`}> sweep /</Link>}
      </p>
      <ErrorNote error={state.error} />
      {run && (
        <>
          <h1>
            {runLabel(run)} <StatusBadge status={run.status} />{' '}
            <span className={state.isLive ? 'live' : 'live off'}>
              {state.isLive ? '● live' : '○ reconnecting'}
            </span>
          </h1>
          <dl className="facts">
            <dt>family</dt>
            <dd>{run.family}</dd>
            <dt>step</dt>
            <dd data-run-step>
              {run.step}
              {run.totalSteps ? ` / ${run.totalSteps}` : ''}
            </dd>
            <dt>attempts</dt>
            <dd data-run-attempts>{run.attempts}</dd>
            <dt>worker</dt>
            <dd>{run.workerId ?? '–'}</dd>
            <dt>backend</dt>
            <dd>{run.backend ? `${run.backend} (${run.device})` : '–'}</dd>
          </dl>
          {run.error && <p className="error">{run.error}</p>}
          <RunActions run={run} />
          <p>
            <Link to={`/compare?runs=${run.id}`}>Compare with other runs</Link>
          </p>
        </>
      )}
      <Section title="Training curves" id="curves">
        {charts.length === 0 && <p className="muted">No metric points yet.</p>}
        <div className="chart-grid">
          {charts.map((chart) => (
            <LineChart key={chart.name} title={chart.name} series={chart.series} />
          ))}
        </div>
      </Section>
      <Section title="Evaluations" id="evaluations">
        <EvaluationPanel evaluations={state.evaluations} />
      </Section>
      <Section title="Filters and reconstructions" id="artifacts">
        <ArtifactGallery artifacts={state.artifacts} />
      </Section>
      {run && (
        <Section title="Spec" id="spec">
          <pre className="spec">{JSON.stringify(run.spec, null, 2)}</pre>
        </Section>
      )}
    </div>
  );
}
