/**
 * The child process that trains one run. Training blocks the event loop
 * for a whole batch, which would starve BullMQ's lock renewal in the
 * worker, so it runs here; the worker keeps the database and the queue.
 */
import { createLogger, HourglassError, toError, type Logger } from '@hourglass/common';
import { resolveBackend, type BackendPreference } from '@hourglass/compute';
import { openDataset, type BadImageReport } from '@hourglass/data';
import { computeTotalSteps, trainRun, type StopRequest } from '@hourglass/training';

import type { ChildMessage, ParentMessage } from './training-messages.ts';

type StartMessage = Extract<ParentMessage, { type: 'start' }>;
type AckedMessage = Extract<ChildMessage, { id: number }>;
type WithoutId<Message> = Message extends unknown ? Omit<Message, 'id'> : never;

const logger = createLogger('hourglass-trainer');
const pendingAcks = new Map<number, () => void>();
let nextMessageId = 1;
let stopRequest: StopRequest | undefined;
let onGo: (() => void) | undefined;

function send(message: ChildMessage): void {
  if (!process.connected) return;
  // A worker that died leaves a broken channel: the write fails later, and
  // without a callback that failure would crash this process mid-batch.
  process.send?.(message, undefined, {}, (error: Error | null) => {
    if (error && stopRequest === undefined) stopRequest = 'cancel';
  });
}

/** Sends a message and resolves once the worker has stored what it carries. */
function sendAndWait(message: WithoutId<AckedMessage>): Promise<void> {
  const id = nextMessageId;
  nextMessageId += 1;
  return new Promise((resolve) => {
    pendingAcks.set(id, resolve);
    send({ ...message, id } as ChildMessage);
  });
}

// A folder's bad image under onBadImage 'skip' is logged with its file,
// once, and the run goes on. Under 'fail' the run fails with a
// DataFormatError naming the file, logged as 'training failed' below.
function logBadImage(runLogger: Logger, report: BadImageReport): void {
  if (report.action !== 'skipped') return;
  runLogger.warn({ file: report.file, err: report.error }, 'bad image skipped');
}

async function train(start: StartMessage): Promise<void> {
  const backend = await resolveBackend(start.backend as BackendPreference, logger);
  // In-memory kinds are loaded whole; an image folder is only indexed here
  // and decoded batch by batch as trainRun reads it.
  const runLogger = logger.child({ runId: start.runId });
  const dataset = await openDataset(start.spec.dataset, {
    imageSize: start.spec.imageSize,
    reportBadImage: (report) => logBadImage(runLogger, report),
  });
  const totalSteps = computeTotalSteps(start.spec, dataset.train.count);

  // The worker claims the run in Postgres only now that the backend is known.
  const go = new Promise<void>((resolve) => {
    onGo = resolve;
  });
  send({ type: 'ready', backend: backend.name, device: backend.device, totalSteps });
  await go;
  if (stopRequest === 'cancel') {
    send({ type: 'done', finalStep: 0, totalSteps, stoppedBy: 'cancel', imagesPerSecond: 0 });
    return;
  }

  const result = await trainRun({
    runId: start.runId,
    spec: start.spec,
    dataset,
    checkpointDir: start.checkpointDir,
    ...(start.resumeFrom ? { resumeFrom: start.resumeFrom } : {}),
    logger,
    onMetrics: (points) => sendAndWait({ type: 'metrics', points }),
    onCheckpoint: (info) =>
      sendAndWait({
        type: 'checkpoint',
        checkpoint: {
          step: info.step,
          path: info.path,
          sizeBytes: info.sizeBytes,
          sha256: info.sha256,
        },
      }),
    onProgress: (step, total) => send({ type: 'progress', step, totalSteps: total }),
    pollStop: () => stopRequest,
  });
  send({
    type: 'done',
    finalStep: result.finalStep,
    totalSteps: result.totalSteps,
    imagesPerSecond: result.imagesPerSecond,
    ...(result.stoppedBy ? { stoppedBy: result.stoppedBy } : {}),
  });
}

process.on('message', (message: ParentMessage) => {
  switch (message.type) {
    case 'start':
      train(message).then(
        () => process.disconnect?.(),
        (thrown: unknown) => {
          const error = toError(thrown);
          const isCoded = error instanceof HourglassError;
          logger.error({ err: error }, 'training failed');
          send({
            type: 'failed',
            message: error.message,
            code: isCoded ? error.code : 'HG_INTERNAL',
            // Unknown errors may be transient (memory, a file system hiccup).
            isRetryable: isCoded ? error.isRetryable : true,
          });
          process.disconnect?.();
        },
      );
      break;
    case 'go':
      onGo?.();
      break;
    case 'stop':
      // A cancel outranks a checkpoint-and-stop that came first.
      if (stopRequest !== 'cancel') stopRequest = message.mode;
      onGo?.();
      break;
    case 'ack':
      pendingAcks.get(message.id)?.();
      pendingAcks.delete(message.id);
      break;
  }
});

// The worker going away (killed) must not leave an orphan training alone.
process.on('disconnect', () => {
  if (stopRequest === undefined) stopRequest = 'cancel';
});
