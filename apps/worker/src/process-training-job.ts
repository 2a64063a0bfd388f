import { join, relative } from 'node:path';

import { HourglassError, parseOrThrow } from '@hourglass/common';
import {
  completeRun,
  failRun,
  findLatestCheckpoint,
  getRun,
  isFinished,
  recordCheckpoint,
  recordMetrics,
  recordRunStep,
  requeueRun,
  startRun,
  stopRunEarly,
  type Run,
} from '@hourglass/db';
import { TrainRunPayload } from '@hourglass/queue';
import { RunSpec } from '@hourglass/specs';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';

import { checkRungs, loadEarlyStopping, type EarlyStop, type RungCheck } from './early-stopping.ts';
import { queueCheckpointEvaluation, isEvaluatedStep } from './evaluation/queue-evaluation.ts';
import { fillSweepSlots } from './sweep-slots.ts';
import { TrainingProcess, type TrainingOutcome } from './training-process.ts';
import type { WorkerServices } from './worker-services.ts';

/** What a finished job reports to BullMQ (kept with the completed job). */
export interface TrainingJobResult {
  runId: string;
  outcome: 'succeeded' | 'cancelled' | 'stopped-early' | 'skipped';
  finalStep: number;
  imagesPerSecond: number;
}

/** The folder of a run's checkpoints inside the artifact store. */
export function checkpointFolder(artifactDir: string, runId: string): string {
  return join(artifactDir, 'runs', runId, 'checkpoints');
}

/** Payloads and stored specs are checked once; a bad one is never retried. */
async function loadJobRun(job: Job, services: WorkerServices) {
  let runId: string;
  try {
    runId = parseOrThrow(TrainRunPayload, job.data, `payload of job ${job.id}`).runId;
  } catch (error) {
    throw new UnrecoverableError((error as Error).message);
  }
  try {
    const run = await services.write(() => getRun(services.db, runId));
    return { run, spec: parseOrThrow(RunSpec, run.spec, `stored spec of run ${runId}`) };
  } catch (error) {
    if (error instanceof HourglassError && !error.isRetryable) {
      await failRun(services.db, runId, { message: error.message, code: error.code });
      throw new UnrecoverableError(error.message);
    }
    throw error;
  }
}

/**
 * Trains the run a job names: resumes from its latest checkpoint if it has
 * one, records metrics and checkpoints as the trainer reports them, and ends
 * the run succeeded, failed, cancelled or (by its sweep's early stopping)
 * stopped early. On shutdown the run checkpoints and goes back to the queue
 * without spending an attempt. After a sweep run's job, whatever its end,
 * the sweep's free slots are filled with its next runs.
 */
export async function processTrainingJob(
  job: Job,
  token: string | undefined,
  services: WorkerServices,
): Promise<TrainingJobResult> {
  const { run, spec } = await loadJobRun(job, services);
  const logger = services.logger.child({ runId: run.id, jobId: job.id });
  try {
    return await trainJobRun({ job, token, services, run, spec, logger });
  } finally {
    if (run.sweepId) {
      await fillSweepSlots(services, run.sweepId).catch((error: unknown) => {
        logger.warn({ err: error, sweepId: run.sweepId }, 'next sweep runs not queued');
      });
    }
  }
}

interface JobRun {
  job: Job;
  token: string | undefined;
  services: WorkerServices;
  run: Run;
  spec: RunSpec;
  logger: WorkerServices['logger'];
}

async function trainJobRun(jobRun: JobRun): Promise<TrainingJobResult> {
  const { job, token, services, run, spec, logger } = jobRun;
  const { db, config, write } = services;
  if (isFinished(run.status)) {
    logger.info({ status: run.status }, 'run already finished; job skipped');
    return { runId: run.id, outcome: 'skipped', finalStep: run.step, imagesPerSecond: 0 };
  }

  const latest = await write(() => findLatestCheckpoint(db, run.id));
  const checkpointDir = checkpointFolder(config.ARTIFACT_DIR, run.id);
  let lastRecordedStep = latest?.step ?? 0;
  const stopping = await loadEarlyStopping(services, run.sweepId, logger);
  let rungCheck: RungCheck | undefined;
  let earlyStop: EarlyStop | undefined;
  let totalSteps: number | undefined;

  const training = new TrainingProcess(
    {
      runId: run.id,
      spec,
      checkpointDir,
      backend: config.HOURGLASS_BACKEND,
      ...(latest ? { resumeFrom: join(config.ARTIFACT_DIR, latest.location) } : {}),
    },
    {
      onReady: async (ready) => {
        services.compute = { backend: ready.backend, device: ready.device };
        totalSteps = ready.totalSteps;
        const started = await write(() =>
          startRun(db, run.id, { workerId: config.WORKER_ID, ...ready }),
        );
        if (started) {
          logger.info(
            { backend: ready.backend, attempt: started.attempts, fromStep: latest?.step ?? 0 },
            'run started',
          );
        }
        if (stopping && run.sweepId) {
          rungCheck = {
            services,
            runId: run.id,
            sweepId: run.sweepId,
            stopping,
            totalSteps: ready.totalSteps,
            logger,
          };
        }
        return started !== undefined;
      },
      onMetrics: async (points) => {
        const fromStep = lastRecordedStep;
        await write(() => recordMetrics(db, run.id, points));
        lastRecordedStep = points.at(-1)?.step ?? lastRecordedStep;
        await write(() => recordRunStep(db, run.id, lastRecordedStep));
        // Covers a cancel whose pub/sub message this worker missed.
        const current = await write(() => getRun(db, run.id));
        if (current.status === 'cancelled') {
          training.stop('cancel');
          return;
        }

        if (!rungCheck || earlyStop) return;
        earlyStop = await checkRungs(rungCheck, fromStep, lastRecordedStep);
        // Stopping through a checkpoint keeps the run's state at the rung.
        if (earlyStop) training.stop('checkpoint-and-stop');
      },
      onCheckpoint: async (checkpoint) => {
        const row = await write(() =>
          recordCheckpoint(db, {
            runId: run.id,
            step: checkpoint.step,
            location: relative(config.ARTIFACT_DIR, checkpoint.path),
            sizeBytes: checkpoint.sizeBytes,
            sha256: checkpoint.sha256,
          }),
        );
        logger.info({ step: checkpoint.step }, 'checkpoint saved');
        // A checkpoint written only to hand the run back is not on the schedule.
        if (isEvaluatedStep(spec, checkpoint.step, totalSteps)) {
          await queueCheckpointEvaluation(services, spec, row);
        }
      },
      onProgress: (step, totalSteps) => {
        void job.updateProgress({ step, totalSteps }).catch(() => undefined);
      },
    },
    logger,
  );

  services.activeRuns.set(run.id, training);
  if (services.isShuttingDown()) training.stop('checkpoint-and-stop');
  let outcome: TrainingOutcome;
  try {
    outcome = await training.outcome;
  } finally {
    services.activeRuns.delete(run.id);
  }

  return settleOutcome({ job, spec, token, services, runId: run.id, outcome, earlyStop, logger });
}

interface Settlement {
  job: Job;
  spec: RunSpec;
  token: string | undefined;
  services: WorkerServices;
  runId: string;
  outcome: TrainingOutcome;
  /** Set when the sweep's early stopping asked the run to stop. */
  earlyStop: EarlyStop | undefined;
  logger: WorkerServices['logger'];
}

async function settleOutcome(settlement: Settlement): Promise<TrainingJobResult> {
  const { job, token, services, runId, outcome, earlyStop, logger } = settlement;
  const { db, write } = services;

  if (outcome.type === 'done') {
    const result = {
      runId,
      finalStep: outcome.finalStep,
      imagesPerSecond: outcome.imagesPerSecond,
    };
    if (outcome.stoppedBy === 'cancel') {
      logger.info({ step: outcome.finalStep }, 'run cancelled');
      return { ...result, outcome: 'cancelled' };
    }
    if (outcome.stoppedBy === 'checkpoint-and-stop' && earlyStop) {
      // Even if a shutdown asked too, the run is over: the sweep dropped it.
      await write(() => stopRunEarly(db, runId, outcome.finalStep));
      // Its last checkpoint is its result, and is evaluated like a final one.
      const last = await write(() => findLatestCheckpoint(db, runId));
      if (last) await queueCheckpointEvaluation(services, settlement.spec, last);
      logger.info(
        { step: outcome.finalStep, rung: earlyStop.rung, rank: earlyStop.rank },
        'run stopped early',
      );
      return { ...result, outcome: 'stopped-early' };
    }
    if (outcome.stoppedBy === 'checkpoint-and-stop') {
      // Back to the queue without spending an attempt: another worker resumes it.
      await write(() => requeueRun(db, runId, outcome.finalStep));
      await job.moveToDelayed(Date.now(), token);
      logger.info({ step: outcome.finalStep }, 'run handed back to the queue');
      throw new DelayedError();
    }
    await write(() => completeRun(db, runId, outcome.finalStep));
    logger.info(
      { step: outcome.finalStep, imagesPerSecond: outcome.imagesPerSecond },
      'run succeeded',
    );
    return { ...result, outcome: 'succeeded' };
  }

  const attempts = job.opts.attempts ?? 1;
  const isLastAttempt = job.attemptsMade + 1 >= attempts;
  if (!outcome.isRetryable || isLastAttempt) {
    await write(() => failRun(db, runId, { message: outcome.message, code: outcome.code }));
    logger.error({ code: outcome.code, reason: outcome.message }, 'run failed');
    throw new UnrecoverableError(outcome.message);
  }
  const { step } = await write(() => getRun(db, runId));
  await write(() => requeueRun(db, runId, step));
  logger.warn({ code: outcome.code, reason: outcome.message }, 'run will be retried');
  throw new Error(outcome.message);
}
