import type { Sweep } from '../api/types.ts';
import { useJson } from '../hooks/use-json.ts';
import { Link } from '../router.tsx';
import { ErrorNote, formatAge, StatusBadge } from './common.tsx';

/** Run counts of a sweep in the order a user reads progress. */
export const COUNT_ORDER = [
  'held',
  'queued',
  'running',
  'succeeded',
  'stopped_early',
  'failed',
  'cancelled',
] as const;

/** Every sweep, newest first, with its run counts. */
export function SweepsPage() {
  const sweeps = useJson<{ sweeps: Sweep[]; total: number }>('/v1/sweeps?limit=100', 3_000);

  return (
    <div className="page sweeps">
      <h1>Sweeps</h1>
      <ErrorNote error={sweeps.error} />
      {sweeps.data && sweeps.data.sweeps.length === 0 && (
        <p className="muted">
          No sweeps yet: <code>npm run hourglass -- sweep examples/shallow-ae-sweep.yaml</code>
        </p>
      )}
      {sweeps.data && sweeps.data.sweeps.length > 0 && (
        <table className="sweep-list">
          <thead>
            <tr>
              <th>sweep</th>
              <th>status</th>
              <th>runs</th>
              {COUNT_ORDER.map((status) => (
                <th key={status}>{status.replace('_', ' ')}</th>
              ))}
              <th>created</th>
            </tr>
          </thead>
          <tbody>
            {sweeps.data.sweeps.map((sweep) => (
              <tr key={sweep.id}>
                <td>
                  <Link to={`/sweeps/${sweep.id}`}>{sweep.name ?? sweep.id.slice(0, 8)}</Link>
                </td>
                <td>
                  <StatusBadge status={sweep.status} />
                </td>
                <td>{sweep.runCount}</td>
                {COUNT_ORDER.map((status) => (
                  <td key={status}>{sweep.counts[status]}</td>
                ))}
                <td>{formatAge(sweep.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
