import {
  getRun,
  listArtifacts,
  listEvaluations,
  listMetrics,
  type Artifact,
  type Evaluation,
  type MetricPoint,
  type Run,
} from '@hourglass/db';

import { toArtifactView, toEvaluationView } from './evaluation-views.ts';
import type { ApiServices } from './services.ts';
import { toMetricPointView, toRunView } from './views.ts';

/** One server-sent event: its name, data, and an id to resume from. */
export interface RunEvent {
  event: 'run' | 'metrics' | 'evaluations' | 'artifacts' | 'gone';
  data: unknown;
  id?: string;
}

/** Where a stream starts and how it paces itself. */
export interface RunEventStreamOptions {
  runId: string;
  /** Metric points at or before this step are not sent. */
  afterStep: number;
  pollIntervalMs: number;
  /** Points per metrics event; a longer backlog goes out in several. */
  maxPointsPerEvent: number;
}

/** What a run looked like at the last poll, to send only what changed. */
interface SentState {
  lastStep: number;
  run: string | undefined;
  evaluations: Map<string, string>;
  artifacts: Set<string>;
}

function describeRun(run: Run): string {
  return [run.status, run.step, run.attempts, run.workerId, run.error].join('|');
}

function describeEvaluation(row: Evaluation): string {
  return [row.status, row.score, row.error, row.finishedAt?.getTime()].join('|');
}

/**
 * Drops the points of the last step of a full page: a page cut inside a
 * step would make the next page (after that step) miss the step's other
 * metrics. A page of a single step is kept whole.
 */
function trimToWholeSteps(points: MetricPoint[], limit: number): MetricPoint[] {
  if (points.length < limit) return points;
  const lastStep = points.at(-1)!.step;
  const whole = points.filter((point) => point.step < lastStep);
  return whole.length > 0 ? whole : points;
}

/**
 * Follows one run by polling Postgres: each poll sends the run when its
 * status, step or attempts changed, the metric points after the last step
 * sent, and the evaluation rows and artifacts that are new or changed
 * (with the ids of rows that went away, as a finished evaluation replaces
 * its placeholder row). Polling keeps the workers' write path as it is;
 * a LISTEN/NOTIFY feed would save queries but needs a trigger per table.
 */
export class RunEventStream {
  private readonly sent: SentState;
  private timer: NodeJS.Timeout | undefined;
  private isStopped = false;

  constructor(
    private readonly services: ApiServices,
    private readonly options: RunEventStreamOptions,
    private readonly send: (event: RunEvent) => void,
  ) {
    this.sent = {
      lastStep: options.afterStep,
      run: undefined,
      evaluations: new Map(),
      artifacts: new Set(),
    };
  }

  /** Sends the current state at once, then polls until stopped. */
  start(): void {
    void this.tick();
  }

  stop(): void {
    this.isStopped = true;
    clearTimeout(this.timer);
  }

  private async tick(): Promise<void> {
    let isGone = false;
    try {
      isGone = await this.poll();
    } catch (error) {
      // A failed poll (Postgres restarting) is tried again at the next tick.
      this.services.logger.warn({ err: error, runId: this.options.runId }, 'run poll failed');
    }
    if (isGone) {
      this.send({ event: 'gone', data: { runId: this.options.runId } });
      this.stop();
    }
    if (this.isStopped) return;
    this.timer = setTimeout(() => void this.tick(), this.options.pollIntervalMs);
  }

  /** One round of queries; returns true when the run no longer exists. */
  private async poll(): Promise<boolean> {
    const { db } = this.services;
    const { runId } = this.options;
    const run = await getRun(db, runId).catch(() => undefined);
    if (!run) return true;

    const runState = describeRun(run);
    if (runState !== this.sent.run) {
      this.sent.run = runState;
      this.send({ event: 'run', data: toRunView(run) });
    }
    await this.sendNewMetrics();
    const [evaluations, artifacts] = await Promise.all([
      listEvaluations(db, runId),
      listArtifacts(db, runId),
    ]);
    this.sendEvaluationChanges(evaluations);
    this.sendArtifactChanges(artifacts);
    return false;
  }

  private async sendNewMetrics(): Promise<void> {
    const limit = this.options.maxPointsPerEvent;
    while (!this.isStopped) {
      const page = await listMetrics(this.services.db, this.options.runId, {
        afterStep: this.sent.lastStep,
        limit,
      });
      const points = trimToWholeSteps(page, limit);
      if (points.length === 0) return;
      this.sent.lastStep = points.at(-1)!.step;
      this.send({
        event: 'metrics',
        id: String(this.sent.lastStep),
        data: { points: points.map(toMetricPointView) },
      });
      if (page.length < limit) return;
    }
  }

  private sendEvaluationChanges(rows: Evaluation[]): void {
    const previous = this.sent.evaluations;
    const changed = rows.filter((row) => previous.get(row.id) !== describeEvaluation(row));
    const current = new Map(rows.map((row) => [row.id, describeEvaluation(row)]));
    const removedIds = [...previous.keys()].filter((id) => !current.has(id));
    this.sent.evaluations = current;
    if (changed.length === 0 && removedIds.length === 0) return;
    this.send({
      event: 'evaluations',
      data: { evaluations: changed.map(toEvaluationView), removedIds },
    });
  }

  private sendArtifactChanges(rows: Artifact[]): void {
    const previous = this.sent.artifacts;
    const added = rows.filter((row) => !previous.has(row.id));
    const current = new Set(rows.map((row) => row.id));
    const removedIds = [...previous].filter((id) => !current.has(id));
    this.sent.artifacts = current;
    if (added.length === 0 && removedIds.length === 0) return;
    this.send({
      event: 'artifacts',
      data: { artifacts: added.map(toArtifactView), removedIds },
    });
  }
}

/** Writes one event in the text/event-stream format. */
export function formatServerSentEvent(event: RunEvent): string {
  const id = event.id !== undefined ? `id: ${event.id}\n` : '';
  return `event: ${event.event}\n${id}data: ${JSON.stringify(event.data)}\n\n`;
}
