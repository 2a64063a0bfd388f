import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { ConflictError, NotFoundError } from '@hourglass/common';

import {
  cancelRun,
  createDatabase,
  getRun,
  listRuns,
  startRun,
  type Database,
  type RunStart,
  type RunStatus,
} from '../src/index.ts';
import { CreatedRuns, parsedSpec } from './support.ts';

const start: RunStart = {
  workerId: 'test-worker',
  backend: 'cpu',
  device: 'cpu:0',
  totalSteps: 20,
};

let db: Database;
let created: CreatedRuns;

before(() => {
  db = createDatabase();
  created = new CreatedRuns(db);
});

after(async () => {
  await created.deleteAll();
  await db.$disconnect();
});

async function setStatus(id: string, status: RunStatus): Promise<void> {
  await db.run.update({ where: { id }, data: { status } });
}

describe('createRun and getRun', () => {
  test('a run is stored queued with its parsed spec exactly as given', async () => {
    const spec = parsedSpec({
      name: 'stored exactly',
      optimizer: { kind: 'sgd', learningRate: 0.05, momentum: 0.5, useNesterov: true },
      gradientClipNorm: 1.25,
      evaluations: ['rsa', 'filters'],
      seed: 2 ** 32 - 1,
    });

    const run = await created.create(spec);
    const loaded = await getRun(db, run.id);

    assert.deepEqual(loaded.spec, spec);
    assert.equal(loaded.status, 'queued');
    assert.equal(loaded.name, 'stored exactly');
    assert.equal(loaded.family, 'shallow-ae');
    assert.equal(loaded.attempts, 0);
    assert.equal(loaded.sweepId, null);
  });

  test('a run without a name stores a null name', async () => {
    const run = await created.create();

    assert.equal((await getRun(db, run.id)).name, null);
  });

  test('getRun of an unknown id throws NotFoundError naming the id', async () => {
    const id = randomUUID();

    await assert.rejects(getRun(db, id), (error: unknown) => {
      assert.ok(error instanceof NotFoundError);
      assert.equal(error.code, 'HG_NOT_FOUND');
      assert.equal(error.id, id);
      return true;
    });
  });
});

describe('listRuns', () => {
  let sweepId: string;
  const queuedIds: string[] = [];

  before(async () => {
    const sweep = await db.sweep.create({
      data: { name: 'list-runs test', baseSpec: {}, space: {} },
    });
    sweepId = sweep.id;

    // Distinct creation times make "newest first" checkable.
    const base = Date.now() - 60_000;
    for (let i = 0; i < 5; i += 1) {
      const run = await created.create(parsedSpec({ name: `list ${i}` }), sweepId);
      const createdAt = new Date(base + i * 1000);
      await db.run.update({ where: { id: run.id }, data: { createdAt } });
      queuedIds.unshift(run.id);
    }
    const cancelled = await created.create(parsedSpec({ name: 'list cancelled' }), sweepId);
    await setStatus(cancelled.id, 'cancelled');
  });

  after(async () => {
    await created.deleteAll();
    await db.sweep.delete({ where: { id: sweepId } });
  });

  test('runs are filtered by status within a sweep', async () => {
    const queued = await listRuns(db, { sweepId, status: 'queued', limit: 50, offset: 0 });
    const cancelled = await listRuns(db, { sweepId, status: 'cancelled', limit: 50, offset: 0 });
    const running = await listRuns(db, { sweepId, status: 'running', limit: 50, offset: 0 });

    assert.equal(queued.total, 5);
    assert.ok(queued.runs.every((run) => run.status === 'queued'));
    assert.equal(cancelled.total, 1);
    assert.deepEqual(cancelled.runs.map((run) => run.name), ['list cancelled']);
    assert.equal(running.total, 0);
    assert.deepEqual(running.runs, []);
  });

  test('runs come newest first', async () => {
    const page = await listRuns(db, { sweepId, status: 'queued', limit: 50, offset: 0 });

    assert.deepEqual(page.runs.map((run) => run.id), queuedIds);
  });

  test('limit and offset page through the runs while total counts them all', async () => {
    const first = await listRuns(db, { sweepId, status: 'queued', limit: 2, offset: 0 });
    const second = await listRuns(db, { sweepId, status: 'queued', limit: 2, offset: 2 });
    const last = await listRuns(db, { sweepId, status: 'queued', limit: 2, offset: 4 });
    const beyond = await listRuns(db, { sweepId, status: 'queued', limit: 2, offset: 10 });

    assert.deepEqual(first.runs.map((run) => run.id), queuedIds.slice(0, 2));
    assert.deepEqual(second.runs.map((run) => run.id), queuedIds.slice(2, 4));
    assert.deepEqual(last.runs.map((run) => run.id), queuedIds.slice(4));
    assert.deepEqual(beyond.runs, []);
    for (const page of [first, second, last, beyond]) assert.equal(page.total, 5);
  });

  test('without a status every run of the sweep is counted', async () => {
    const page = await listRuns(db, { sweepId, limit: 50, offset: 0 });

    assert.equal(page.total, 6);
    assert.equal(page.runs.length, 6);
  });
});

describe('cancelRun', () => {
  test('a queued run becomes cancelled with a finish time', async () => {
    const run = await created.create();

    const cancelled = await cancelRun(db, run.id);

    assert.equal(cancelled.status, 'cancelled');
    assert.ok(cancelled.finishedAt instanceof Date);
    assert.equal((await getRun(db, run.id)).status, 'cancelled');
  });

  test('a running run becomes cancelled', async () => {
    const run = await created.create();
    await startRun(db, run.id, start);

    assert.equal((await cancelRun(db, run.id)).status, 'cancelled');
  });

  test('cancelling twice leaves the run cancelled with its first finish time', async () => {
    const run = await created.create();
    const first = await cancelRun(db, run.id);

    const second = await cancelRun(db, run.id);

    assert.equal(second.status, 'cancelled');
    assert.deepEqual(second.finishedAt, first.finishedAt);
  });

  test('a succeeded run cannot be cancelled and keeps its status', async () => {
    const run = await created.create();
    await setStatus(run.id, 'succeeded');

    await assert.rejects(cancelRun(db, run.id), (error: unknown) => {
      assert.ok(error instanceof ConflictError);
      assert.equal(error.code, 'HG_CONFLICT');
      assert.match(error.message, /succeeded/);
      return true;
    });
    assert.equal((await getRun(db, run.id)).status, 'succeeded');
  });

  test('a failed run cannot be cancelled', async () => {
    const run = await created.create();
    await setStatus(run.id, 'failed');

    await assert.rejects(cancelRun(db, run.id), ConflictError);
  });

  test('cancelling an unknown run throws NotFoundError', async () => {
    await assert.rejects(cancelRun(db, randomUUID()), NotFoundError);
  });
});

describe('startRun', () => {
  test('starting a queued run marks it running and records where it runs', async () => {
    const run = await created.create();

    const started = await startRun(db, run.id, start);

    assert.ok(started);
    assert.equal(started.status, 'running');
    assert.equal(started.attempts, 1);
    assert.equal(started.workerId, 'test-worker');
    assert.equal(started.backend, 'cpu');
    assert.equal(started.device, 'cpu:0');
    assert.equal(started.totalSteps, 20);
    assert.ok(started.startedAt instanceof Date);
  });

  test('each start counts one more attempt', async () => {
    const run = await created.create();

    await startRun(db, run.id, start);
    await startRun(db, run.id, { ...start, workerId: 'second-worker' });
    const third = await startRun(db, run.id, { ...start, workerId: 'third-worker' });

    assert.equal(third?.attempts, 3);
    assert.equal(third?.workerId, 'third-worker');
  });

  test('a cancelled run is not started: undefined, and no attempt is counted', async () => {
    const run = await created.create();
    await cancelRun(db, run.id);

    const started = await startRun(db, run.id, start);

    assert.equal(started, undefined);
    const stored = await getRun(db, run.id);
    assert.equal(stored.status, 'cancelled');
    assert.equal(stored.attempts, 0);
    assert.equal(stored.workerId, null);
  });

  test('a succeeded run is not started again', async () => {
    const run = await created.create();
    await setStatus(run.id, 'succeeded');

    assert.equal(await startRun(db, run.id, start), undefined);
    assert.equal((await getRun(db, run.id)).status, 'succeeded');
  });
});
