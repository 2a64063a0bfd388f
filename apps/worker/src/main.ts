import { createLogger } from '@hourglass/common';

import { loadWorkerConfig } from './config.ts';
import { startTrainingWorker } from './training-worker.ts';

const logger = createLogger('hourglass-worker');
const worker = await startTrainingWorker(loadWorkerConfig(), logger);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'worker stopping');
    void worker.close().then(() => process.exit(0));
  });
}
