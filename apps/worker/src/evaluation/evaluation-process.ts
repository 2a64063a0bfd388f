import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import type { Logger } from '@hourglass/common';
import type { EvaluationKind } from '@hourglass/specs';

import type {
  EvaluationChildMessage,
  EvaluationFailure,
  EvaluationRequest,
  KindResult,
} from './evaluation-messages.ts';

/** What the worker does with the evaluator's reports; each is awaited in order. */
export interface EvaluationHandlers {
  onResult(result: KindResult): Promise<void>;
  onKindFailed(kind: EvaluationKind, failure: EvaluationFailure): Promise<void>;
}

/** How an evaluation process ended: all kinds reported, or not. */
export type EvaluationOutcome = { type: 'done' } | ({ type: 'failed' } & EvaluationFailure);

const CHILD_ENTRY = fileURLToPath(new URL('./evaluation-child.ts', import.meta.url));
const TSX_LOADER = import.meta.resolve('tsx');

/**
 * One checkpoint's evaluation in a child process. Results are recorded in
 * the order they come; the outcome settles once every one is recorded.
 */
export class EvaluationProcess {
  readonly outcome: Promise<EvaluationOutcome>;
  private readonly child: ChildProcess;
  private handling: Promise<void> = Promise.resolve();

  constructor(request: EvaluationRequest, handlers: EvaluationHandlers, logger: Logger) {
    this.child = fork(CHILD_ENTRY, [], {
      execArgv: ['--import', TSX_LOADER],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    // Failed sends and kills surface here; the exit handler settles the outcome.
    this.child.on('error', (error) => logger.warn({ err: error }, 'evaluation process error'));

    this.outcome = new Promise<EvaluationOutcome>((resolve) => {
      let ended: EvaluationOutcome | undefined;
      let recordError: Error | undefined;

      this.child.on('message', (message: EvaluationChildMessage) => {
        if (message.type === 'done' || message.type === 'failed') {
          ended = message;
          return;
        }
        this.handling = this.handling.then(async () => {
          if (recordError) return;
          try {
            if (message.type === 'result') await handlers.onResult(message.result);
            if (message.type === 'kind-failed') await handlers.onKindFailed(message.kind, message);
          } catch (thrown) {
            recordError = thrown instanceof Error ? thrown : new Error(String(thrown));
            logger.error({ err: recordError }, 'could not record evaluation results');
            this.kill();
          }
        });
      });

      this.child.on('exit', (code, signal) => {
        void this.handling.then(() => {
          if (recordError) {
            return resolve({
              type: 'failed',
              message: `could not record results: ${recordError.message}`,
              code: 'HG_RECORDING_FAILED',
              isRetryable: true,
            });
          }
          if (ended) return resolve(ended);
          resolve({
            type: 'failed',
            message: `evaluation process exited (code ${code}, signal ${signal})`,
            code: 'HG_EVALUATOR_EXITED',
            isRetryable: true,
          });
        });
      });
    });

    // A failed write (the child already gone) shows as its exit above.
    this.child.send({ type: 'start', request }, () => undefined);
  }

  /** Ends the evaluation at once (shutdown); the job is retried elsewhere. */
  kill(): void {
    this.child.kill('SIGKILL');
  }
}
