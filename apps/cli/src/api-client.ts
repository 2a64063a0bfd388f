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

  async listCheckpoints(id: string): Promise<CheckpointRecord[]> {
    const page = await this.request<{ checkpoints: CheckpointRecord[] }>(
      'GET',
      `/v1/runs/${encodeURIComponent(id)}/checkpoints`,
    );
    return page.checkpoints;
  }
}
