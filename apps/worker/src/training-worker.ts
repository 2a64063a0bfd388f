import { hostname } from 'node:os';

import { createLogger, type Logger } from '@hourglass/common';
import {
  createDatabase,
  markWorkerStopped,
  recordHeartbeat,
  registerWorker,
  retryWhileUnreachable,
} from '@hourglass/db';
import {
  createRedisConnection,
  createTrainingQueue,
  QUEUES,
  subscribeCancels,
} from '@hourglass/queue';
import { Worker } from 'bullmq';

import type { WorkerConfig } from './config.ts';
import { processTrainingJob, type TrainingJobResult } from './process-training-job.ts';
import type { TrainingProcess } from './training-process.ts';
import type { WorkerServices } from './worker-services.ts';

/** A started worker and the way to stop it. */
export interface TrainingWorker {
  worker: Worker;
  services: WorkerServices;
  /**
   * Stops taking jobs, asks running runs to checkpoint and go back to the
   * queue, and closes connections; gives up waiting after the configured
   * shutdown timeout.
   */
  close(): Promise<void>;
}

/**
 * Starts a worker on the training queue. One run trains at a time: training
 * uses the whole backend, so more throughput means more worker processes.
 */
export async function startTrainingWorker(
  config: WorkerConfig,
  logger: Logger = createLogger('hourglass-worker'),
): Promise<TrainingWorker> {
  const workerLogger = logger.child({ worker: config.WORKER_ID, queue: QUEUES.training });
  const db = createDatabase(config.DATABASE_URL);
  const activeRuns = new Map<string, TrainingProcess>();
  let isShuttingDown = false;
  const queueConnection = createRedisConnection(config.REDIS_URL);
  const trainingQueue = createTrainingQueue({
    connection: queueConnection,
    prefix: config.QUEUE_PREFIX,
  });
  // Connection errors while Redis restarts are expected; the queue reconnects.
  trainingQueue.on('error', (error) => workerLogger.warn({ err: error }, 'queue error'));
  const services: WorkerServices = {
    config,
    db,
    logger: workerLogger,
    trainingQueue,
    activeRuns,
    compute: { backend: config.HOURGLASS_BACKEND, device: 'unknown' },
    write: (work) => retryWhileUnreachable(work, workerLogger),
    isShuttingDown: () => isShuttingDown,
  };

  await services.write(() =>
    registerWorker(db, {
      id: config.WORKER_ID,
      host: hostname(),
      pid: process.pid,
      queues: [QUEUES.training],
      ...services.compute,
    }),
  );
  const heartbeat = startHeartbeat(services, workerLogger);

  const unsubscribe = await subscribeCancels(
    createRedisConnection(config.REDIS_URL),
    (runId) => activeRuns.get(runId)?.stop('cancel'),
    config.QUEUE_PREFIX,
  );

  const connection = createRedisConnection(config.REDIS_URL);
  const worker = new Worker<unknown, TrainingJobResult>(
    QUEUES.training,
    (job, token) => processTrainingJob(job, token, services),
    {
      connection,
      prefix: config.QUEUE_PREFIX,
      concurrency: 1,
      lockDuration: config.LOCK_DURATION_MS,
      stalledInterval: config.STALLED_INTERVAL_MS,
      maxStalledCount: 1,
    },
  );
  worker.on('error', (error) => workerLogger.warn({ err: error }, 'worker error'));
  worker.on('failed', (job, error) => {
    workerLogger.info({ jobId: job?.id, reason: error.message }, 'job failed');
  });
  await worker.waitUntilReady();
  workerLogger.info({ backend: config.HOURGLASS_BACKEND }, 'worker started');

  return {
    worker,
    services,
    close: async () => {
      isShuttingDown = true;
      clearInterval(heartbeat);
      for (const training of activeRuns.values()) training.stop('checkpoint-and-stop');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        worker.close().then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(resolve, config.SHUTDOWN_TIMEOUT_MS, true);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        workerLogger.error({ runs: [...activeRuns.keys()] }, 'shutdown timed out; killing runs');
        for (const training of activeRuns.values()) training.kill();
        await worker.close(true);
      }
      await unsubscribe();
      await trainingQueue.close();
      queueConnection.disconnect();
      connection.disconnect();
      await markWorkerStopped(db, config.WORKER_ID).catch((error: unknown) => {
        workerLogger.warn({ err: error }, 'could not mark the worker stopped');
      });
      await db.$disconnect();
      workerLogger.info('worker stopped');
    },
  };
}

/**
 * Writes the worker's heartbeat on a timer: alive, and which run it trains.
 * A missed beat (Postgres unreachable) is only logged; the next one retries.
 */
function startHeartbeat(services: WorkerServices, logger: Logger): NodeJS.Timeout {
  const { config, db } = services;
  const timer = setInterval(() => {
    const [currentRunId] = services.activeRuns.keys();
    recordHeartbeat(db, config.WORKER_ID, {
      currentRunId: currentRunId ?? null,
      ...services.compute,
    }).catch((error: unknown) => logger.warn({ err: error }, 'heartbeat not recorded'));
  }, config.HEARTBEAT_INTERVAL_MS);
  timer.unref();
  return timer;
}
