// The shapes the REST API answers with, as the dashboard reads them. The
// API's zod views are the source of truth; these repeat only the fields the
// pages use, so the browser bundle carries no server code.

export type RunStatus =
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'stopped_early';

export interface Run {
  id: string;
  sweepId: string | null;
  name: string | null;
  family: string;
  status: RunStatus;
  attempts: number;
  workerId: string | null;
  backend: string | null;
  device: string | null;
  step: number;
  totalSteps: number | null;
  error: string | null;
  spec: Record<string, unknown>;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RunPage {
  runs: Run[];
  total: number;
}

export interface MetricPoint {
  name: string;
  step: number;
  value: number;
}

export interface QueueCounts {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

export interface Worker {
  id: string;
  host: string;
  backend: string;
  device: string;
  status: 'online' | 'stopped' | 'lost';
  currentRunId: string | null;
  heartbeatAt: string;
}

export type SweepCounts = Record<RunStatus | 'held', number>;

export interface Sweep {
  id: string;
  name: string | null;
  status: 'queued' | 'running' | 'finished' | 'cancelled';
  runCount: number;
  counts: SweepCounts;
  maxConcurrent: number | null;
  priority: number;
  createdAt: string;
}

export interface LeaderboardEntry {
  rank: number | null;
  runId: string;
  name: string | null;
  status: RunStatus;
  step: number;
  totalSteps: number | null;
  parameters: Record<string, unknown>;
  value: number | null;
  valueStep: number | null;
}

export interface SweepDetail extends Sweep {
  leaderboard: { metric: string; mode: 'min' | 'max'; entries: LeaderboardEntry[] };
}

export interface Evaluation {
  id: string;
  runId: string;
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

export interface Artifact {
  id: string;
  runId: string;
  step: number | null;
  kind: string;
  mediaType: string;
  sizeBytes: number;
  url: string;
}

/** The API's error body. */
export interface ApiErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}
