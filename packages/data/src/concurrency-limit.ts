/**
 * A counting semaphore for async work. Image decodes run in libuv's
 * thread pool; keeping only a few in flight leaves that pool free for
 * file reads and bounds the memory of decodes under way.
 */
import { ValidationError } from '@hourglass/common';

/** Runs at most `limit` tasks at once; the rest wait in order. */
export class ConcurrencyLimit {
  readonly limit: number;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new ValidationError('concurrency limit', [
        { path: 'limit', message: `expected a positive integer, got ${limit}` },
      ]);
    }
    this.limit = limit;
  }

  /** Runs `task` once a slot is free; resolves or rejects as it does. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active += 1;
    }

    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter, so `active` counts
      // it without a gap in which a newcomer could jump the queue.
      const next = this.waiting.shift();
      if (next === undefined) this.active -= 1;
      else next();
    }
  }
}
