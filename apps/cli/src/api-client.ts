import { HourglassError } from '@hourglass/common';

/** A run as the API returns it (the fields the CLI reads). */
export interface RunRecord {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
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
