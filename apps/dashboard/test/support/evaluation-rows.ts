import { recordEvaluationResults, type Database } from '@hourglass/db';

/** The checkpoint that evaluation rows stand for. */
export interface CheckpointRef {
  runId: string;
  checkpointId: string;
  step: number;
}

/**
 * Stores the probe, RSA and neural-fit results an evaluation job would
 * write for a checkpoint, through the same database function the worker
 * uses; those need a stimulus set with neural data, which a test has not.
 * The scores rise with the step, so the charts have a visible trend.
 */
export async function writeEvaluationScores(db: Database, target: CheckpointRef): Promise<void> {
  const progress = Math.min(1, target.step / 1000);
  await recordEvaluationResults(db, target, 'linear-probe', [
    { layer: 'conv1', score: 0.2 + 0.2 * progress, details: { top5: 0.6 } },
    { layer: 'conv2', score: 0.25 + 0.3 * progress, details: { top5: 0.7 } },
  ]);
  await recordEvaluationResults(db, target, 'rsa', [
    { layer: 'conv1', area: 'V4', method: 'image', score: 0.1 + 0.1 * progress },
    { layer: 'conv1', area: 'IT', method: 'image', score: 0.05 + 0.2 * progress },
  ]);
  await recordEvaluationResults(db, target, 'neural-fit', [
    { layer: 'conv1', area: 'IT', method: 'ridge', score: 0.15 + 0.1 * progress },
  ]);
}
