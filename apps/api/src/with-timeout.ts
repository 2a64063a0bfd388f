import { UnavailableError } from '@hourglass/common';

/**
 * Settles like `work`, or rejects with UnavailableError after `timeoutMs`.
 * BullMQ waits for a Redis connection as long as ioredis keeps reconnecting,
 * which is right for workers but would hold an HTTP request open for the
 * whole outage; routes bound such calls with this.
 */
export async function withTimeout<Result>(
  work: Promise<Result>,
  timeoutMs: number,
  what: string,
): Promise<Result> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new UnavailableError(`${what} did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
