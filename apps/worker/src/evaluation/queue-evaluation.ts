import { markEvaluationsPending, type Checkpoint } from '@hourglass/db';
import { enqueueCheckpointEvaluation } from '@hourglass/queue';
import type { RunSpec } from '@hourglass/specs';

import type { WorkerServices } from '../worker-services.ts';

/**
 * Whether a checkpoint at `step` is one the spec's evaluations run on:
 * the untrained network (step 0), every checkpointEverySteps, and the
 * last step. Checkpoints written to hand a run to another worker are not.
 */
export function isEvaluatedStep(
  spec: RunSpec,
  step: number,
  totalSteps: number | undefined,
): boolean {
  if (spec.evaluations.length === 0) return false;
  return step % spec.checkpointEverySteps === 0 || step === totalSteps;
}

/**
 * Marks a checkpoint's evaluations pending and queues them for any worker.
 * The job id is the checkpoint's, so queueing it twice is harmless.
 */
export async function queueCheckpointEvaluation(
  services: WorkerServices,
  spec: RunSpec,
  checkpoint: Checkpoint,
): Promise<void> {
  if (spec.evaluations.length === 0) return;
  const target = { runId: checkpoint.runId, checkpointId: checkpoint.id, step: checkpoint.step };
  await services.write(() => markEvaluationsPending(services.db, target, spec.evaluations));
  await enqueueCheckpointEvaluation(services.evaluationQueue, {
    runId: checkpoint.runId,
    checkpointId: checkpoint.id,
  });
  services.logger.debug({ runId: checkpoint.runId, step: checkpoint.step }, 'evaluation queued');
}
