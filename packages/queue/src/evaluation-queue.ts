import { Queue } from 'bullmq';

import {
  EVALUATION_JOB_OPTIONS,
  EVALUATION_JOBS,
  EvaluateCheckpointPayload,
  QUEUES,
} from './job-catalog.ts';
import type { QueueOptions } from './training-queue.ts';

/** The queue of checkpoints waiting to be evaluated. */
export function createEvaluationQueue(
  options: QueueOptions,
): Queue<EvaluateCheckpointPayload> {
  return new Queue<EvaluateCheckpointPayload>(QUEUES.evaluation, {
    connection: options.connection,
    prefix: options.prefix ?? 'hourglass',
    defaultJobOptions: EVALUATION_JOB_OPTIONS,
  });
}

/**
 * Queues a checkpoint's evaluations. The job id is the checkpoint id, so a
 * checkpoint reported twice (a resumed run) is evaluated once.
 */
export async function enqueueCheckpointEvaluation(
  queue: Queue<EvaluateCheckpointPayload>,
  payload: EvaluateCheckpointPayload,
): Promise<void> {
  const data = EvaluateCheckpointPayload.parse(payload);
  await queue.add(EVALUATION_JOBS.evaluateCheckpoint, data, { jobId: data.checkpointId });
}
