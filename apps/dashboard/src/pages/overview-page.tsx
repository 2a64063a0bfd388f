import type { QueueCounts, RunPage, Worker } from '../api/types.ts';
import { useJson } from '../hooks/use-json.ts';
import { Link } from '../router.tsx';
import { ErrorNote, formatAge, runLabel, Section, StatusBadge } from './common.tsx';
import { SubmitRunForm } from './submit-run-form.tsx';

const REFRESH_MS = 2_000;

function QueueTable({ queues }: { queues: QueueCounts[] }) {
  return (
    <table className="queues">
      <thead>
        <tr>
          <th>queue</th>
          <th>waiting</th>
          <th>active</th>
          <th>delayed</th>
          <th>failed</th>
        </tr>
      </thead>
      <tbody>
        {queues.map((queue) => (
          <tr key={queue.name} data-queue={queue.name}>
            <td>{queue.name}</td>
            <td>{queue.waiting}</td>
            <td>{queue.active}</td>
            <td>{queue.delayed}</td>
            <td>{queue.failed}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Live workers (online, or lost: silent without saying it stopped); stopped ones counted. */
function WorkerTable({ workers: all }: { workers: Worker[] }) {
  const workers = all.filter((worker) => worker.status !== 'stopped');
  const stopped = all.length - workers.length;
  const note = stopped > 0 ? ` (${stopped} stopped in the last hour not shown)` : '';
  if (workers.length === 0) return <p className="muted">No live worker{note}.</p>;
  return (
    <>
      <table className="workers">
        <thead>
          <tr>
            <th>worker</th>
            <th>status</th>
            <th>backend</th>
            <th>device</th>
            <th>current run</th>
            <th>heartbeat</th>
          </tr>
        </thead>
        <tbody>
          {workers.map((worker) => (
            <tr key={worker.id}>
              <td>{worker.id}</td>
              <td>
                <StatusBadge status={worker.status} />
              </td>
              <td>{worker.backend}</td>
              <td>{worker.device}</td>
              <td>
                {worker.currentRunId ? (
                  <Link to={`/runs/${worker.currentRunId}`}>{worker.currentRunId.slice(0, 8)}</Link>
                ) : (
                  '–'
                )}
              </td>
              <td>{formatAge(worker.heartbeatAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {note && <p className="muted">{note.trim()}</p>}
    </>
  );
}

function RecentRuns({ page }: { page: RunPage }) {
  return (
    <table className="runs">
      <thead>
        <tr>
          <th>run</th>
          <th>family</th>
          <th>status</th>
          <th>step</th>
          <th>created</th>
        </tr>
      </thead>
      <tbody>
        {page.runs.map((run) => (
          <tr key={run.id}>
            <td>
              <Link to={`/runs/${run.id}`}>{runLabel(run)}</Link>
            </td>
            <td>{run.family}</td>
            <td>
              <StatusBadge status={run.status} />
            </td>
            <td>
              {run.step}
              {run.totalSteps ? ` / ${run.totalSteps}` : ''}
            </td>
            <td>{formatAge(run.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The fleet at a glance: queues, live workers, recent runs, and a form to submit one. */
export function OverviewPage() {
  const queues = useJson<{ queues: QueueCounts[] }>('/v1/queues', REFRESH_MS);
  const workers = useJson<{ workers: Worker[] }>('/v1/workers?sinceSeconds=3600', REFRESH_MS);
  const runs = useJson<RunPage>('/v1/runs?limit=15', REFRESH_MS);

  return (
    <div className="page overview">
      <h1>Overview</h1>
      <div className="columns">
        <div>
          <Section title="Queues" id="queues">
            <ErrorNote error={queues.error} />
            {queues.data && <QueueTable queues={queues.data.queues} />}
          </Section>
          <Section title="Workers" id="workers">
            <ErrorNote error={workers.error} />
            {workers.data && <WorkerTable workers={workers.data.workers} />}
          </Section>
          <Section title="Recent runs" id="recent-runs">
            <ErrorNote error={runs.error} />
            {runs.data && <RecentRuns page={runs.data} />}
          </Section>
        </div>
        <Section title="Submit a run" id="submit">
          <SubmitRunForm />
        </Section>
      </div>
    </div>
  );
}
