import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';

import type { Redis } from 'ioredis';

import {
  cancelChannel,
  createRedisConnection,
  publishCancel,
  subscribeCancels,
} from '../src/index.ts';

const prefix = `test-${randomUUID()}`;

let publisher: Redis;
const subscribers: Redis[] = [];

before(() => {
  publisher = createRedisConnection();
});

after(() => {
  publisher.disconnect();
  // Closed already when unsubscribing works; this keeps a broken one from hanging the process.
  for (const subscriber of subscribers) subscriber.disconnect();
});

function openSubscriber(): Redis {
  const subscriber = createRedisConnection();
  subscribers.push(subscriber);
  return subscriber;
}

interface Collector {
  ids: string[];
  done: Promise<string[]>;
  add: (id: string) => void;
}

/** Resolves with the ids received once `count` have arrived, or rejects after a while. */
function collect(count: number): Collector {
  const ids: string[] = [];
  let resolve: (ids: string[]) => void = () => {};
  const done = new Promise<string[]>((ok, fail) => {
    resolve = ok;
    setTimeout(() => fail(new Error(`received ${ids.length} of ${count}`)), 3_000).unref();
  });
  return {
    ids,
    done,
    add: (id) => {
      ids.push(id);
      if (ids.length === count) resolve(ids);
    },
  };
}

describe('cancel channel', () => {
  test('the channel name is namespaced by the prefix', () => {
    assert.equal(cancelChannel(prefix), `${prefix}:run-cancelled`);
    assert.equal(cancelChannel(), 'hourglass:run-cancelled');
  });

  test('a published cancel reaches a subscriber with the run id', async () => {
    const runId = randomUUID();
    const received = collect(1);
    const unsubscribe = await subscribeCancels(openSubscriber(), received.add, prefix);
    try {
      await publishCancel(publisher, runId, prefix);

      assert.deepEqual(await received.done, [runId]);
    } finally {
      await unsubscribe();
    }
  });

  test('a cancel published under another prefix is not received', async () => {
    const mine = randomUUID();
    const received = collect(1);
    const unsubscribe = await subscribeCancels(openSubscriber(), received.add, prefix);
    try {
      await publishCancel(publisher, randomUUID(), `${prefix}-other`);
      await publishCancel(publisher, mine, prefix);

      // Redis delivers in publish order, so the other prefix's id would have come first.
      assert.deepEqual(await received.done, [mine]);
    } finally {
      await unsubscribe();
    }
  });

  test('unsubscribing stops delivery and closes the subscriber connection', async () => {
    const subscriber = openSubscriber();
    const ended = once(subscriber, 'end', { signal: AbortSignal.timeout(3_000) });
    const unsubscribe = await subscribeCancels(subscriber, () => {}, prefix);

    await unsubscribe();

    assert.equal(await publisher.publish(cancelChannel(prefix), randomUUID()), 0);
    await ended;
    assert.equal(subscriber.status, 'end');
  });
});
