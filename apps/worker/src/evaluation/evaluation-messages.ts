/**
 * Messages between a worker and the child process that evaluates one
 * checkpoint. Both ends are this program, so the types are trusted.
 */
import type { EvaluationKind, RunSpec } from '@hourglass/specs';

/** One score of an evaluation, for one layer, area and method. */
export interface ResultRow {
  layer?: string;
  area?: string;
  method?: string;
  score: number | null;
  details?: Record<string, unknown>;
}

/** A file an evaluation wrote into the artifact store. */
export interface ArtifactFile {
  kind: string;
  /** Relative to the artifact store's root. */
  location: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
}

/** What one evaluation kind produced. */
export interface KindResult {
  kind: EvaluationKind;
  rows: ResultRow[];
  artifacts: ArtifactFile[];
}

/** Everything the child needs to evaluate one checkpoint. */
export interface EvaluationRequest {
  runId: string;
  spec: RunSpec;
  step: number;
  checkpointPath: string;
  artifactDir: string;
  /** The kinds still to do (a retried job skips those already stored). */
  kinds: EvaluationKind[];
  backend: string;
}

export type EvaluationParentMessage = { type: 'start'; request: EvaluationRequest };

/** How a failed evaluation is reported: coded errors keep their code. */
export interface EvaluationFailure {
  message: string;
  code: string;
  isRetryable: boolean;
}

export type EvaluationChildMessage =
  | { type: 'ready'; backend: string; device: string }
  | { type: 'result'; result: KindResult }
  | ({ type: 'kind-failed'; kind: EvaluationKind } & EvaluationFailure)
  | { type: 'done' }
  | ({ type: 'failed' } & EvaluationFailure);
