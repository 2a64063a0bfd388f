/**
 * Messages between a worker and the child process that trains one run.
 * Both ends are this program, so the types are trusted, not validated.
 */
import type { RunSpec } from '@hourglass/specs';

/** What the worker asks of the trainer. */
export type ParentMessage =
  | {
      type: 'start';
      runId: string;
      spec: RunSpec;
      checkpointDir: string;
      resumeFrom?: string;
      backend: string;
    }
  | { type: 'go' }
  | { type: 'stop'; mode: 'cancel' | 'checkpoint-and-stop' }
  | { type: 'ack'; id: number };

export interface MetricPointMessage {
  name: string;
  step: number;
  value: number;
}

export interface CheckpointMessage {
  step: number;
  path: string;
  sizeBytes: number;
  sha256: string;
}

/** What the trainer tells the worker. Messages with an id await an ack. */
export type ChildMessage =
  | { type: 'ready'; backend: string; device: string; totalSteps: number }
  | { type: 'metrics'; id: number; points: MetricPointMessage[] }
  | { type: 'checkpoint'; id: number; checkpoint: CheckpointMessage }
  | { type: 'progress'; step: number; totalSteps: number }
  | {
      type: 'done';
      finalStep: number;
      totalSteps: number;
      stoppedBy?: 'cancel' | 'checkpoint-and-stop';
      imagesPerSecond: number;
    }
  | { type: 'failed'; message: string; code: string; isRetryable: boolean };
