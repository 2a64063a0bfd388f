import { useMemo } from 'react';

import type { Evaluation } from '../api/types.ts';
import { LineChart } from '../charts/line-chart.tsx';
import { countUnfinished, groupEvaluationCharts } from '../evaluations/evaluation-charts.ts';

/**
 * A run's evaluation results over its checkpoints: probe accuracy per
 * layer, RSA and neural fit per area and layer, and the rest, one line
 * chart each; with what is still pending and what failed.
 */
export function EvaluationPanel({ evaluations }: { evaluations: Evaluation[] }) {
  const charts = useMemo(() => groupEvaluationCharts(evaluations), [evaluations]);
  const unfinished = countUnfinished(evaluations);
  const failures = evaluations.filter((row) => row.status === 'failed');

  if (evaluations.length === 0) {
    return (
      <p className="muted">
        No evaluations: list them in the spec&apos;s <code>evaluations</code> to run them at
        each checkpoint.
      </p>
    );
  }
  return (
    <>
      <p className="muted" data-evaluation-status>
        {unfinished.pending} pending, {unfinished.running} running, {unfinished.failed} failed
      </p>
      {failures.map((row) => (
        <p key={row.id} className="error">
          {row.kind} at step {row.step} failed: {row.error}
        </p>
      ))}
      <div className="chart-grid">
        {charts.map((chart) => (
          <LineChart
            key={chart.key}
            title={chart.title}
            series={chart.series}
            height={200}
            hasMarkers
          />
        ))}
      </div>
    </>
  );
}
