import { join } from 'node:path';

import { HourglassError, NotFoundError, parseOrThrow } from '@hourglass/common';
import {
  getCheckpoint,
  getRun,
  listEvaluations,
  markEvaluationRunning,
  markEvaluationsRequeued,
  recordEvaluationFailure,
  recordEvaluationResults,
  replaceArtifacts,
  type EvaluationTarget,
} from '@hourglass/db';
import { EvaluateCheckpointPayload } from '@hourglass/queue';
import { RunSpec, type EvaluationKind } from '@hourglass/specs';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';

import type { WorkerServices } from '../worker-services.ts';
import type { EvaluationFailure } from './evaluation-messages.ts';
import { EvaluationProcess } from './evaluation-process.ts';

/** What a finished evaluation job reports to BullMQ. */
export interface EvaluationJobResult {
  runId: string;
  step: number;
  succeeded: EvaluationKind[];
  failed: EvaluationKind[];
  outcome: 'evaluated' | 'skipped';
}

/** The job's checkpoint and the kinds it still needs; undefined when gone. */
async function loadJobTarget(job: Job, services: WorkerServices) {
  let payload: EvaluateCheckpointPayload;
  try {
    payload = parseOrThrow(EvaluateCheckpointPayload, job.data, `payload of job ${job.id}`);
  } catch (error) {
    throw new UnrecoverableError((error as Error).message);
  }
  const { db, write } = services;
  try {
    const run = await write(() => getRun(db, payload.runId));
    const checkpoint = await write(() => getCheckpoint(db, payload.checkpointId));
    const spec = parseOrThrow(RunSpec, run.spec, `stored spec of run ${run.id}`);
    const target = { runId: run.id, checkpointId: checkpoint.id, step: checkpoint.step };
    const rows = await write(() => listEvaluations(db, run.id, { step: checkpoint.step }));
    const done = new Set(rows.filter((row) => row.status === 'succeeded').map((row) => row.kind));
    const kinds = spec.evaluations.filter((kind) => !done.has(kind));
    return { spec, target, checkpoint, kinds };
  } catch (error) {
    // A run deleted since (its checkpoints cascade) leaves nothing to do.
    if (error instanceof NotFoundError) return undefined;
    if (error instanceof HourglassError && !error.isRetryable) {
      throw new UnrecoverableError(error.message);
    }
    throw error;
  }
}

/**
 * Evaluates the checkpoint a job names: every kind its run's spec lists
 * that is not stored yet, in a child process, recording each kind's rows
 * and files as they come. A kind that fails gets a failed row with its
 * error; errors that may pass (a crash, a lost connection) retry the job,
 * which then redoes only the kinds not yet stored.
 */
export async function processEvaluationJob(
  job: Job,
  token: string | undefined,
  services: WorkerServices,
): Promise<EvaluationJobResult> {
  const loaded = await loadJobTarget(job, services);
  if (!loaded || loaded.kinds.length === 0) {
    const step = loaded?.target.step ?? -1;
    const runId = loaded?.target.runId ?? '';
    return { runId, step, succeeded: [], failed: [], outcome: 'skipped' };
  }
  const { spec, target, checkpoint, kinds } = loaded;
  const { db, config, write } = services;
  const logger = services.logger.child({ runId: target.runId, step: target.step, jobId: job.id });

  for (const kind of kinds) await write(() => markEvaluationRunning(db, target, kind));
  logger.info({ kinds }, 'evaluating checkpoint');
  const succeeded: EvaluationKind[] = [];
  const failures = new Map<EvaluationKind, EvaluationFailure>();
  const evaluation = new EvaluationProcess(
    {
      runId: target.runId,
      spec,
      step: target.step,
      checkpointPath: join(config.ARTIFACT_DIR, checkpoint.location),
      artifactDir: config.ARTIFACT_DIR,
      kinds,
      backend: config.HOURGLASS_BACKEND,
    },
    {
      onResult: async (result) => {
        // Files first: a row never points at an image that is not there.
        await write(() => replaceArtifacts(db, target, result.artifacts));
        await write(() => recordEvaluationResults(db, target, result.kind, result.rows));
        succeeded.push(result.kind);
      },
      onKindFailed: async (kind, failure) => {
        failures.set(kind, failure);
        await write(() => recordEvaluationFailure(db, target, kind, failure.message));
      },
    },
    logger,
  );

  services.activeEvaluations.add(evaluation);
  let outcome;
  try {
    outcome = await evaluation.outcome;
  } finally {
    services.activeEvaluations.delete(evaluation);
  }
  return settleEvaluation({ job, token, services, target, kinds, succeeded, failures, outcome });
}

interface EvaluationSettlement {
  job: Job;
  token: string | undefined;
  services: WorkerServices;
  target: EvaluationTarget;
  kinds: EvaluationKind[];
  succeeded: EvaluationKind[];
  failures: Map<EvaluationKind, EvaluationFailure>;
  outcome: Awaited<EvaluationProcess['outcome']>;
}

async function settleEvaluation(settlement: EvaluationSettlement): Promise<EvaluationJobResult> {
  const { job, token, services, target, kinds, succeeded, failures, outcome } = settlement;
  const { db, write } = services;
  const logger = services.logger.child({ runId: target.runId, step: target.step, jobId: job.id });
  const unfinished = kinds.filter((kind) => !succeeded.includes(kind) && !failures.has(kind));

  if (outcome.type === 'failed' && services.isShuttingDown()) {
    // Stopped by shutdown: back to the queue without spending an attempt.
    await write(() => markEvaluationsRequeued(db, target, unfinished));
    await job.moveToDelayed(Date.now(), token);
    logger.info({ kinds: unfinished }, 'evaluation handed back to the queue');
    throw new DelayedError();
  }
  if (outcome.type === 'failed') {
    for (const kind of unfinished) {
      failures.set(kind, outcome);
      await write(() => recordEvaluationFailure(db, target, kind, outcome.message));
    }
  }

  const failed = [...failures.keys()];
  const isLastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const retryable = [...failures.values()].find((failure) => failure.isRetryable);
  if (retryable && !isLastAttempt) {
    logger.warn({ kinds: failed, reason: retryable.message }, 'evaluation will be retried');
    throw new Error(retryable.message);
  }
  if (failed.length > 0) {
    logger.warn({ kinds: failed, succeeded }, 'some evaluations failed');
  } else {
    logger.info({ kinds: succeeded }, 'checkpoint evaluated');
  }
  return { runId: target.runId, step: target.step, succeeded, failed, outcome: 'evaluated' };
}
