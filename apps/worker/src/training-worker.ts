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
  createEvaluationQueue,
  createRedisConnection,
  createTrainingQueue,
  QUEUES,
  subscribeCancels,
} from '@hourglass/queue';
import { Worker } from 'bullmq';

import type { WorkerConfig } from './config.ts';
import type { EvaluationProcess } from './evaluation/evaluation-process.ts';
import {
  processEvaluationJob,
  type EvaluationJobResult,
} from './evaluation/process-evaluation-job.ts';
import { processTrainingJob, type TrainingJobResult } from './process-training-job.ts';
import type { TrainingProcess } from './training-process.ts';
import type { WorkerServices } from './worker-services.ts';

/** A started worker and the way to stop it. */
export interface TrainingWorker {
  /** The BullMQ worker of each queue this process takes jobs from. */
  workers: Worker[];
  services: WorkerServices;
  /**
   * Stops taking jobs, asks running runs to checkpoint and go back to the
   * queue, and closes connections; gives up waiting after the configured
   * shutdown timeout.
   */
  close(): Promise<void>;
}

/**
 * Starts a worker on the training and evaluation queues (or those
 * WORKER_QUEUES names). One run trains and one checkpoint is evaluated at
 * a time, each in its own child process: more throughput means more
 * worker processes.
 */
export async function startTrainingWorker(
  config: WorkerConfig,
  logger: Logger = createLogger('hourglass-worker'),
): Promise<TrainingWorker> {
  const workerLogger = logger.child({ worker: config.WORKER_ID });
  const db = createDatabase(config.DATABASE_URL);
  const activeRuns = new Map<string, TrainingProcess>();
  const activeEvaluations = new Set<EvaluationProcess>();
  let isShuttingDown = false;
  const queueConnection = createRedisConnection(config.REDIS_URL);
  const trainingQueue = createTrainingQueue({
    connection: queueConnection,
    prefix: config.QUEUE_PREFIX,
  });
  const evaluationQueue = createEvaluationQueue({
    connection: queueConnection,
    prefix: config.QUEUE_PREFIX,
  });
  // Connection errors while Redis restarts are expected; the queues reconnect.
  for (const queue of [trainingQueue, evaluationQueue]) {
    queue.on('error', (error) => workerLogger.warn({ err: error }, 'queue error'));
  }
  const services: WorkerServices = {
    config,
    db,
    logger: workerLogger,
    trainingQueue,
    evaluationQueue,
    activeEvaluations,
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
      queues: config.WORKER_QUEUES.map((name) => QUEUES[name]),
      ...services.compute,
    }),
  );
  const heartbeat = startHeartbeat(services, workerLogger);

  const unsubscribe = await subscribeCancels(
    createRedisConnection(config.REDIS_URL),
    (runId) => activeRuns.get(runId)?.stop('cancel'),
    config.QUEUE_PREFIX,
  );

  const connections = config.WORKER_QUEUES.map(() => createRedisConnection(config.REDIS_URL));
  const workers = config.WORKER_QUEUES.map((name, i) =>
    name === 'training'
      ? new Worker<unknown, TrainingJobResult>(
        QUEUES.training,
        (job, token) => processTrainingJob(job, token, services),
        jobOptions(config, connections[i]!),
      )
      : new Worker<unknown, EvaluationJobResult>(
        QUEUES.evaluation,
        (job, token) => processEvaluationJob(job, token, services),
        jobOptions(config, connections[i]!),
      ),
  );
  for (const worker of workers) {
    const queueLogger = workerLogger.child({ queue: worker.name });
    worker.on('error', (error) => queueLogger.warn({ err: error }, 'worker error'));
    worker.on('failed', (job, error) => {
      queueLogger.info({ jobId: job?.id, reason: error.message }, 'job failed');
    });
  }
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  workerLogger.info(
    { backend: config.HOURGLASS_BACKEND, queues: config.WORKER_QUEUES },
    'worker started',
  );

  return {
    workers,
    services,
    close: async () => {
      isShuttingDown = true;
      clearInterval(heartbeat);
      for (const training of activeRuns.values()) training.stop('checkpoint-and-stop');
      // An evaluation keeps nothing worth saving midway: it is redone elsewhere.
      for (const evaluation of activeEvaluations) evaluation.kill();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        Promise.all(workers.map((worker) => worker.close())).then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(resolve, config.SHUTDOWN_TIMEOUT_MS, true);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        workerLogger.error({ runs: [...activeRuns.keys()] }, 'shutdown timed out; killing runs');
        for (const training of activeRuns.values()) training.kill();
        await Promise.all(workers.map((worker) => worker.close(true)));
      }
      await unsubscribe();
      await trainingQueue.close();
      await evaluationQueue.close();
      queueConnection.disconnect();
      for (const connection of connections) connection.disconnect();
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

// Both queues' jobs hold their lock while a child process works: the
// same lock and stall settings govern them.
function jobOptions(config: WorkerConfig, connection: ReturnType<typeof createRedisConnection>) {
  return {
    connection,
    prefix: config.QUEUE_PREFIX,
    concurrency: 1,
    lockDuration: config.LOCK_DURATION_MS,
    stalledInterval: config.STALLED_INTERVAL_MS,
    maxStalledCount: 1,
  };
}
