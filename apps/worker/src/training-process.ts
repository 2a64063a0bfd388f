import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { toError, type Logger } from '@hourglass/common';

import type {
  CheckpointMessage,
  ChildMessage,
  MetricPointMessage,
  ParentMessage,
} from './training-messages.ts';

/** What the worker does with the trainer's reports; each is awaited in order. */
export interface TrainingHandlers {
  /** Returns false when the run is no longer wanted; the trainer then stops. */
  onReady(info: { backend: string; device: string; totalSteps: number }): Promise<boolean>;
  onMetrics(points: MetricPointMessage[]): Promise<void>;
  onCheckpoint(checkpoint: CheckpointMessage): Promise<void>;
  onProgress(step: number, totalSteps: number): void;
}

/** How a training process ended. */
export type TrainingOutcome =
  | Extract<ChildMessage, { type: 'done' }>
  | Extract<ChildMessage, { type: 'failed' }>;

export type TrainingRequest = Omit<Extract<ParentMessage, { type: 'start' }>, 'type'>;

const CHILD_ENTRY = fileURLToPath(new URL('./training-child.ts', import.meta.url));
// The child is TypeScript like the rest; resolving tsx here makes the
// child independent of the directory the worker was started from.
const TSX_LOADER = import.meta.resolve('tsx');

/**
 * One run's training in a child process. Reports are handled one at a
 * time, in the order they came, so a checkpoint row is never written before
 * the metrics that precede it.
 */
export class TrainingProcess {
  readonly outcome: Promise<TrainingOutcome>;
  private readonly child: ChildProcess;
  private handling: Promise<void> = Promise.resolve();
  private handlerError: Error | undefined;

  constructor(request: TrainingRequest, handlers: TrainingHandlers, logger: Logger) {
    this.child = fork(CHILD_ENTRY, [], {
      execArgv: ['--import', TSX_LOADER],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    // Failed sends and kills surface here; the exit handler settles the outcome.
    this.child.on('error', (error) => logger.warn({ err: error }, 'training process error'));

    this.outcome = new Promise<TrainingOutcome>((resolve) => {
      let ended: TrainingOutcome | undefined;

      this.child.on('message', (message: ChildMessage) => {
        if (message.type === 'done' || message.type === 'failed') {
          ended = message;
          return;
        }
        this.handling = this.handling
          .then(() => (this.handlerError ? undefined : this.handle(message, handlers)))
          .catch((thrown: unknown) => {
            // The trainer waits for acks that will not come: end it, and
            // report a retryable failure so the run resumes elsewhere.
            this.handlerError = toError(thrown);
            logger.error({ err: this.handlerError }, 'could not record training progress');
            this.kill();
          });
      });

      this.child.on('exit', (code, signal) => {
        void this.handling.then(() => {
          if (this.handlerError) {
            return resolve({
              type: 'failed',
              message: `could not record progress: ${this.handlerError.message}`,
              code: 'HG_RECORDING_FAILED',
              isRetryable: true,
            });
          }
          if (ended) return resolve(ended);
          logger.warn({ code, signal }, 'training process exited without a result');
          resolve({
            type: 'failed',
            message: `training process exited (code ${code}, signal ${signal})`,
            code: 'HG_TRAINER_EXITED',
            isRetryable: true,
          });
        });
      });
    });

    this.send({ type: 'start', ...request });
  }

  /** The training process's id, for tools and tests that watch it. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Asks the trainer to stop at the next batch boundary. */
  stop(mode: 'cancel' | 'checkpoint-and-stop'): void {
    this.send({ type: 'stop', mode });
  }

  /** Ends the child at once; used only when it does not stop by itself. */
  kill(): void {
    this.child.kill('SIGKILL');
  }

  private send(message: ParentMessage): void {
    // A trainer that has just exited can still look connected: the write
    // then fails with EPIPE, which without a callback would be thrown as
    // an 'error' event and end the worker. Its exit is handled above.
    if (this.child.connected) this.child.send(message, () => undefined);
  }

  private async handle(message: ChildMessage, handlers: TrainingHandlers): Promise<void> {
    switch (message.type) {
      case 'ready': {
        const isWanted = await handlers.onReady(message);
        this.send(isWanted ? { type: 'go' } : { type: 'stop', mode: 'cancel' });
        return;
      }
      case 'metrics':
        await handlers.onMetrics(message.points);
        this.send({ type: 'ack', id: message.id });
        return;
      case 'checkpoint':
        await handlers.onCheckpoint(message.checkpoint);
        this.send({ type: 'ack', id: message.id });
        return;
      case 'progress':
        handlers.onProgress(message.step, message.totalSteps);
        return;
    }
  }
}
