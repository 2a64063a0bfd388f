import type { JobsOptions } from 'bullmq';
import { z } from 'zod';

/**
 * Every queue, its job names, their payload schemas and retry policies, in
 * one place that producers and workers share. A job carries only the id of
 * what it works on: Postgres holds the rest.
 */
export const QUEUES = {
  training: 'hourglass-training',
  evaluation: 'hourglass-evaluation',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const TrainRunPayload = z.object({ runId: z.uuid() });
export type TrainRunPayload = z.output<typeof TrainRunPayload>;

/** Job names on the training queue. */
export const TRAINING_JOBS = { trainRun: 'train-run' } as const;

/**
 * Retry policy for training jobs. A transient failure (a lost connection,
 * a killed worker) is retried with exponential backoff; errors that can
 * never succeed are thrown as unrecoverable by the worker and not retried.
 * Finished jobs are kept for a day so that a second submit of the same run
 * id is recognised as a duplicate instead of training again.
 */
export const TRAINING_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export const EvaluateCheckpointPayload = z.object({
  runId: z.uuid(),
  checkpointId: z.uuid(),
});
export type EvaluateCheckpointPayload = z.output<typeof EvaluateCheckpointPayload>;

/** Job names on the evaluation queue. */
export const EVALUATION_JOBS = { evaluateCheckpoint: 'evaluate-checkpoint' } as const;

/**
 * Retry policy for evaluation jobs: one checkpoint's evaluations, which any
 * worker may take. A crash or lost connection is retried; bad input (a
 * missing stimulus file) is recorded on the evaluation row and not retried.
 */
export const EVALUATION_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
};
