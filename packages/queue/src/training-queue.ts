import { Queue, type ConnectionOptions } from 'bullmq';

import { QUEUES, TRAINING_JOBS, TRAINING_JOB_OPTIONS, TrainRunPayload } from './job-catalog.ts';

/** Where BullMQ keeps its keys; tests use their own prefix to stay apart. */
export interface QueueOptions {
  connection: ConnectionOptions;
  prefix?: string;
}

/** The queue of runs waiting to be trained. */
export function createTrainingQueue(options: QueueOptions): Queue<TrainRunPayload> {
  return new Queue<TrainRunPayload>(QUEUES.training, {
    connection: options.connection,
    prefix: options.prefix ?? 'hourglass',
    defaultJobOptions: TRAINING_JOB_OPTIONS,
  });
}

/**
 * Queues a run for training. The job id is the run id, so submitting the
 * same run twice leaves one job: BullMQ ignores an add whose id exists.
 */
export async function enqueueTrainingRun(
  queue: Queue<TrainRunPayload>,
  runId: string,
  options: { priority?: number } = {},
): Promise<void> {
  const payload = TrainRunPayload.parse({ runId });
  await queue.add(TRAINING_JOBS.trainRun, payload, {
    jobId: runId,
    ...(options.priority !== undefined ? { priority: options.priority } : {}),
  });
}

/**
 * Queues several runs at one priority in one round trip; as with
 * enqueueTrainingRun, a run whose job already exists is left as it is.
 */
export async function enqueueTrainingRuns(
  queue: Queue<TrainRunPayload>,
  runIds: readonly string[],
  options: { priority?: number } = {},
): Promise<void> {
  if (runIds.length === 0) return;
  await queue.addBulk(
    runIds.map((runId) => ({
      name: TRAINING_JOBS.trainRun,
      data: TrainRunPayload.parse({ runId }),
      opts: {
        ...TRAINING_JOB_OPTIONS,
        jobId: runId,
        ...(options.priority !== undefined ? { priority: options.priority } : {}),
      },
    })),
  );
}

/** Removes a run's job if it is still waiting; a running job is left alone. */
export async function removeQueuedRun(
  queue: Queue<TrainRunPayload>,
  runId: string,
): Promise<boolean> {
  const job = await queue.getJob(runId);
  if (!job) return false;
  const state = await job.getState();
  if (state !== 'waiting' && state !== 'delayed' && state !== 'prioritized') return false;
  await job.remove();
  return true;
}
