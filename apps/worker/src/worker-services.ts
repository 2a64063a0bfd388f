import type { Logger } from '@hourglass/common';
import type { Database } from '@hourglass/db';
import type { EvaluateCheckpointPayload, TrainRunPayload } from '@hourglass/queue';
import type { Queue } from 'bullmq';

import type { WorkerConfig } from './config.ts';
import type { EvaluationProcess } from './evaluation/evaluation-process.ts';
import type { TrainingProcess } from './training-process.ts';

/** What the job processor shares with the worker that runs it. */
export interface WorkerServices {
  config: WorkerConfig;
  db: Database;
  logger: Logger;
  /** The training queue, where finished sweep runs release the next ones. */
  trainingQueue: Queue<TrainRunPayload>;
  /** The evaluation queue, where each checkpoint's evaluations are queued. */
  evaluationQueue: Queue<EvaluateCheckpointPayload>;
  /** Evaluation processes running now, so a shutdown can stop them. */
  activeEvaluations: Set<EvaluationProcess>;
  /** Training processes by run id, so a cancel or SIGTERM can reach them. */
  activeRuns: Map<string, TrainingProcess>;
  /** The backend and device the last run trained on, for the heartbeat. */
  compute: { backend: string; device: string };
  /** Runs a database write, retrying while Postgres is unreachable. */
  write: <Result>(work: () => Promise<Result>) => Promise<Result>;
  /** Set once SIGTERM arrived: running runs checkpoint and go back to the queue. */
  isShuttingDown: () => boolean;
}
