import { createLogger } from '@hourglass/common';

import { loadApiConfig } from './config.ts';
import { startApiServer } from './server.ts';

const logger = createLogger('hourglass-api');
const server = await startApiServer(loadApiConfig(), logger);
logger.info({ url: server.url }, 'api listening');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'api stopping');
    void server.close().then(() => process.exit(0));
  });
}
