/**
 * The child process that evaluates one checkpoint. Evaluations block the
 * event loop for seconds to minutes, which would starve BullMQ's lock
 * renewal in the worker, so they run here; the worker keeps the database.
 */
import { createLogger } from '@hourglass/common';
import { resolveBackend, type BackendPreference } from '@hourglass/compute';

import { describeFailure, evaluateCheckpoint } from './evaluate-checkpoint.ts';
import type {
  EvaluationChildMessage,
  EvaluationParentMessage,
  EvaluationRequest,
} from './evaluation-messages.ts';

const logger = createLogger('hourglass-evaluator');

function send(message: EvaluationChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    // A worker that died leaves a broken channel; the process then ends.
    process.send?.(message, undefined, {}, () => resolve());
  });
}

async function evaluate(request: EvaluationRequest): Promise<void> {
  const backend = await resolveBackend(request.backend as BackendPreference, logger);
  await send({ type: 'ready', backend: backend.name, device: backend.device });

  const sends: Promise<void>[] = [];
  await evaluateCheckpoint(request, {
    onResult: (result) => {
      logger.info({ kind: result.kind, rows: result.rows.length }, 'evaluation done');
      sends.push(send({ type: 'result', result }));
    },
    onKindFailed: (kind, failure) => {
      logger.warn({ kind, reason: failure.message }, 'evaluation failed');
      sends.push(send({ type: 'kind-failed', kind, ...failure }));
    },
  });
  await Promise.all(sends);
  await send({ type: 'done' });
}

process.on('message', (message: EvaluationParentMessage) => {
  if (message.type !== 'start') return;
  evaluate(message.request).then(
    () => process.disconnect?.(),
    async (thrown: unknown) => {
      logger.error({ err: thrown }, 'checkpoint evaluation failed');
      await send({ type: 'failed', ...describeFailure(thrown) });
      process.disconnect?.();
    },
  );
});

// The worker going away (killed or shut down) ends the evaluation too.
process.on('disconnect', () => process.exit(0));
