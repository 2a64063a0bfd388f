import type { Logger } from '@hourglass/common';
import type { Database } from '@hourglass/db';
import type { EvaluateCheckpointPayload, TrainRunPayload } from '@hourglass/queue';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** The handles every route works with, created once by the server. */
export interface ApiServices {
  db: Database;
  redis: Redis;
  trainingQueue: Queue<TrainRunPayload>;
  evaluationQueue: Queue<EvaluateCheckpointPayload>;
  /** Root of the artifact store, absolute; artifact rows hold paths relative to it. */
  artifactDir: string;
  queuePrefix: string;
  /** A worker whose heartbeat is older than this is reported as lost. */
  workerLostAfterMs: number;
  /** A sweep that would make more runs than this is refused with 400. */
  sweepMaxRuns: number;
  logger: Logger;
}
