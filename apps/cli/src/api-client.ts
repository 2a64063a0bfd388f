import { HourglassError } from '@hourglass/common';

/** A run as the API returns it (the fields the CLI reads). */
export interface RunRecord {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'stopped_early';
  step: number;
  totalSteps: number | null;
  attempts: number;
  backend: string | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface MetricPointRecord {
  name: string;
  step: number;
  value: number;
}

export interface CheckpointRecord {
  step: number;
  location: string;
  sizeBytes: number;
  sha256: string;
}

/** How many runs of a sweep have each status; `held` queued ones wait for a slot. */
export interface SweepCounts {
  queued: number;
  running: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  stopped_early: number;
  held: number;
}

/** A sweep as the API returns it (the fields the CLI reads). */
export interface SweepRecord {
  id: string;
  name: string | null;
  status: 'queued' | 'running' | 'finished' | 'cancelled';
  runCount: number;
  counts: SweepCounts;
}

/** One run on a sweep's leaderboard. */
export interface LeaderboardEntryRecord {
  rank: number | null;
  runId: string;
  status: RunRecord['status'];
  step: number;
  parameters: Record<string, unknown>;
  value: number | null;
}

/** A sweep with its leaderboard, best run first. */
export interface SweepDetailRecord extends SweepRecord {
  leaderboard: { metric: string; mode: 'min' | 'max'; entries: LeaderboardEntryRecord[] };
}

/** A run with what a report shows of it: its name, family, sweep and stored spec. */
export interface RunDetailRecord extends RunRecord {
  sweepId: string | null;
  name: string | null;
  family: string;
  spec: Record<string, unknown>;
}

/** One evaluation result (or failure) of one checkpoint. */
export interface EvaluationRecord {
  id: string;
  runId: string;
  checkpointId: string | null;
  step: number;
  kind: string;
  layer: string;
  area: string;
  method: string;
  status: 'pending' | 'running' | 'succeeded' | 'failed';
  score: number | null;
  details: unknown;
  error: string | null;
}

/** A file an evaluation wrote; `url` serves its bytes. */
export interface ArtifactRecord {
  id: string;
  runId: string;
  step: number | null;
  kind: string;
  mediaType: string;
  sizeBytes: number;
  url: string;
}

/** Most metric points the API returns in one page. */
const METRIC_PAGE_LIMIT = 100_000;

/** Most runs the API returns in one page. */
const RUN_PAGE_LIMIT = 500;

/** An error the API answered with, carrying its status and code. */
export class ApiRequestError extends HourglassError {
  readonly status: number;

  constructor(status: number, code: string, message: string) {
    super(code, `API answered ${status}: ${message}`);
    this.status = status;
  }
}

/** A small client for the Hourglass REST API. */
export class ApiClient {
  constructor(private readonly baseUrl: string) {}

  async request<Result>(method: string, path: string, body?: unknown): Promise<Result> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const error = parsed?.error ?? {};
      throw new ApiRequestError(
        response.status,
        error.code ?? 'HG_HTTP',
        error.message ?? response.statusText,
      );
    }
    return parsed as Result;
  }

  submitRun(spec: unknown): Promise<RunRecord> {
    return this.request('POST', '/v1/runs', spec);
  }

  submitSweep(spec: unknown): Promise<SweepRecord & { runIds: string[] }> {
    return this.request('POST', '/v1/sweeps', spec);
  }

  /** A sweep with the first `limit` entries of its leaderboard. */
  getSweep(id: string, limit = 1): Promise<SweepDetailRecord> {
    const query = new URLSearchParams({ limit: String(limit) });
    return this.request('GET', `/v1/sweeps/${encodeURIComponent(id)}?${query}`);
  }

  getRun(id: string): Promise<RunRecord> {
    return this.request('GET', `/v1/runs/${encodeURIComponent(id)}`);
  }

  async listMetrics(id: string, name: string, afterStep = -1): Promise<MetricPointRecord[]> {
    const query = new URLSearchParams({ name, afterStep: String(afterStep) });
    const page = await this.request<{ points: MetricPointRecord[] }>(
      'GET',
      `/v1/runs/${encodeURIComponent(id)}/metrics?${query}`,
    );
    return page.points;
  }

  /** A run with its name, family, sweep and stored spec. */
  getRunDetail(id: string): Promise<RunDetailRecord> {
    return this.request('GET', `/v1/runs/${encodeURIComponent(id)}`);
  }

  /** Every run of a sweep, newest first, read page by page. */
  async listSweepRuns(sweepId: string): Promise<RunDetailRecord[]> {
    const runs: RunDetailRecord[] = [];
    for (;;) {
      const query = new URLSearchParams({
        sweepId,
        limit: String(RUN_PAGE_LIMIT),
        offset: String(runs.length),
      });
      const page = await this.request<{ runs: RunDetailRecord[]; total: number }>(
        'GET',
        `/v1/runs?${query}`,
      );
      runs.push(...page.runs);
      if (page.runs.length === 0 || runs.length >= page.total) return runs;
    }
  }

  /**
   * Every metric point of a run, in step order. A full page may end in the
   * middle of a step's points (they are ordered by step, then name), so the
   * last step of a full page is dropped and asked for again with the next.
   */
  async listAllMetrics(id: string): Promise<MetricPointRecord[]> {
    const points: MetricPointRecord[] = [];
    let afterStep = -1;
    for (;;) {
      const query = new URLSearchParams({
        afterStep: String(afterStep),
        limit: String(METRIC_PAGE_LIMIT),
      });
      const page = await this.request<{ points: MetricPointRecord[] }>(
        'GET',
        `/v1/runs/${encodeURIComponent(id)}/metrics?${query}`,
      );
      if (page.points.length < METRIC_PAGE_LIMIT) {
        points.push(...page.points);
        return points;
      }
      const lastStep = page.points[page.points.length - 1]!.step;
      const complete = page.points.filter((point) => point.step < lastStep);
      // A page that is all one step cannot be split; it is taken as it is
      // (a run logs a few dozen metric names per step, never a page).
      if (complete.length === 0) {
        points.push(...page.points);
        afterStep = lastStep;
        continue;
      }
      points.push(...complete);
      afterStep = lastStep - 1;
    }
  }

  /** A run's evaluation rows, by step, kind, layer, area and method. */
  async listEvaluations(id: string): Promise<EvaluationRecord[]> {
    const page = await this.request<{ evaluations: EvaluationRecord[] }>(
      'GET',
      `/v1/runs/${encodeURIComponent(id)}/evaluations`,
    );
    return page.evaluations;
  }

  /** A run's artifacts (filter grids, reconstructions), by step and kind. */
  async listArtifacts(id: string): Promise<ArtifactRecord[]> {
    const page = await this.request<{ artifacts: ArtifactRecord[] }>(
      'GET',
      `/v1/runs/${encodeURIComponent(id)}/artifacts`,
    );
    return page.artifacts;
  }

  /** The bytes at a path the API gave (an artifact's url). */
  async fetchBytes(path: string): Promise<Uint8Array> {
    const response = await fetch(new URL(path, this.baseUrl));
    if (!response.ok) {
      const text = await response.text();
      let message = response.statusText;
      let code = 'HG_HTTP';
      try {
        const error = JSON.parse(text).error ?? {};
        message = error.message ?? message;
        code = error.code ?? code;
      } catch {
        // Not the API's JSON error shape; the status text says enough.
      }
      throw new ApiRequestError(response.status, code, message);
    }
    return new Uint8Array(await response.arrayBuffer());
  }

  async listCheckpoints(id: string): Promise<CheckpointRecord[]> {
    const page = await this.request<{ checkpoints: CheckpointRecord[] }>(
      'GET',
      `/v1/runs/${encodeURIComponent(id)}/checkpoints`,
    );
    return page.checkpoints;
  }
}
