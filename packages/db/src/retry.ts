import type { Logger } from '@hourglass/common';

/** How long and how often a write is tried again while Postgres is unreachable. */
export interface RetryPolicy {
  maxWaitMs: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxWaitMs: 120_000,
  initialDelayMs: 250,
  maxDelayMs: 5_000,
};

// Errors that mean "the database could not be reached", not "the query is
// wrong": node's socket errors, pg's own messages, and Prisma's codes for
// connection failures (P1001 unreachable, P1002 timed out, P1017 closed).
const CONNECTION_ERROR = new RegExp(
  [
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EPIPE',
    'Connection terminated',
    'Connection ended',
    'connection timeout',
    'P1001',
    'P1002',
    'P1017',
    'DatabaseNotReachable',
    'the database system is starting up',
    'terminating connection',
  ].join('|'),
  'i',
);

/** Whether an error says the database was unreachable, as far as can be told. */
export function isConnectionError(error: unknown): boolean {
  for (let current = error; current; current = (current as { cause?: unknown }).cause) {
    const text = `${(current as Error).message ?? ''} ${(current as { code?: string }).code ?? ''}`;
    if (CONNECTION_ERROR.test(text)) return true;
    if (typeof current !== 'object') break;
  }
  return false;
}

/**
 * Runs `write`, trying again with exponential backoff while the database is
 * unreachable, for up to `maxWaitMs`. Other errors are thrown at once.
 */
export async function retryWhileUnreachable<Result>(
  write: () => Promise<Result>,
  logger: Logger,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<Result> {
  const startedAt = Date.now();
  let delayMs = policy.initialDelayMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      const waitedMs = Date.now() - startedAt;
      if (!isConnectionError(error) || waitedMs + delayMs > policy.maxWaitMs) throw error;
      logger.warn({ err: error, attempt, delayMs }, 'database unreachable; retrying');
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, policy.maxDelayMs);
    }
  }
}
