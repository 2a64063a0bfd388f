import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  cancelSweep,
  createDatabase,
  createSweep,
  getRun,
  isFinished,
  readLastMetricValues,
  readRungValues,
  recordMetrics,
  releaseSweepRuns,
  startRun,
  stopRunEarly,
  tallySweepRuns,
  type CreatedSweep,
  type Database,
} from '../src/index.ts';
import { parsedSpec } from './support.ts';

let db: Database;
const sweepIds: string[] = [];

before(() => {
  db = createDatabase();
});

after(async () => {
  await db.run.deleteMany({ where: { sweepId: { in: sweepIds } } });
  await db.sweep.deleteMany({ where: { id: { in: sweepIds } } });
  await db.$disconnect();
});

/** Stores a sweep of `count` small runs, remembered for cleanup. */
async function storeSweep(count: number, maxConcurrent: number | null): Promise<CreatedSweep> {
  const runs = Array.from({ length: count }, (_, index) => ({
    index,
    spec: parsedSpec({ name: `db sweep test #${index + 1}`, seed: index }),
  }));
  const created = await createSweep(db, {
    name: 'db sweep test',
    spec: { test: true },
    baseSpec: {},
    space: {},
    maxConcurrent,
    priority: 50,
    runs,
  });
  sweepIds.push(created.sweep.id);
  return created;
}

async function finish(runId: string): Promise<void> {
  await db.run.update({ where: { id: runId }, data: { status: 'succeeded' } });
}

describe('sweeps in Postgres', () => {
  test('a sweep stores all its runs and releases only the first maxConcurrent', async () => {
    const { sweep, runIds, releasedRunIds } = await storeSweep(5, 2);

    assert.equal(runIds.length, 5);
    assert.deepEqual(releasedRunIds, runIds.slice(0, 2));
    const tally = (await tallySweepRuns(db, [sweep.id])).get(sweep.id)!;
    assert.equal(tally.queued, 5);
    assert.equal(tally.held, 3);
    assert.equal((await getRun(db, runIds[3]!)).sweepIndex, 3);
  });

  test('a finished run frees one slot, filled by the next run in index order', async () => {
    const { sweep, runIds } = await storeSweep(4, 2);

    assert.deepEqual(await releaseSweepRuns(db, sweep.id), runIds.slice(0, 2));
    await finish(runIds[0]!);
    const queued = await releaseSweepRuns(db, sweep.id);

    assert.deepEqual(queued, [runIds[1], runIds[2]]);
    assert.equal((await getRun(db, runIds[3]!)).isHeld, true);
  });

  test('releases racing each other never exceed maxConcurrent', async () => {
    const { sweep, runIds } = await storeSweep(8, 2);
    await finish(runIds[0]!);
    await finish(runIds[1]!);

    await Promise.all(Array.from({ length: 6 }, () => releaseSweepRuns(db, sweep.id)));

    const released = await db.run.count({
      where: { sweepId: sweep.id, status: 'queued', isHeld: false },
    });
    assert.equal(released, 2);
  });

  test('a sweep without a limit releases every run', async () => {
    const { runIds, releasedRunIds } = await storeSweep(3, null);

    assert.deepEqual(releasedRunIds, runIds);
  });

  test('cancelling a sweep cancels its open runs, keeps finished ones, releases no more',
    async () => {
      const { sweep, runIds } = await storeSweep(4, 1);
      await finish(runIds[0]!);

      const { cancelledRuns } = await cancelSweep(db, sweep.id);

      assert.deepEqual(cancelledRuns.map((run) => run.id).sort(), runIds.slice(1).sort());
      assert.equal((await getRun(db, runIds[0]!)).status, 'succeeded');
      assert.equal((await getRun(db, runIds[2]!)).status, 'cancelled');
      assert.deepEqual(await releaseSweepRuns(db, sweep.id), []);
    });

  test('a run stopped early is finished at the step it stopped', async () => {
    const { runIds } = await storeSweep(1, null);
    const start = { workerId: 'w', backend: 'cpu', device: 'cpu', totalSteps: 50 };
    await startRun(db, runIds[0]!, start);

    await stopRunEarly(db, runIds[0]!, 20);

    const run = await getRun(db, runIds[0]!);
    assert.equal(run.status, 'stopped_early');
    assert.equal(run.step, 20);
    assert.ok(isFinished(run.status));
    assert.ok(run.finishedAt);
  });

  test('rung values average the last values up to the rung of runs that reached it',
    async () => {
      const { sweep, runIds } = await storeSweep(3, null);
      const series = (runId: string, values: number[]) =>
        recordMetrics(
          db,
          runId,
          values.map((value, index) => ({ name: 'loss/total', step: index + 1, value })),
        );
      await series(runIds[0]!, [9, 8, 4, 2, 1]);
      await series(runIds[1]!, [9, 9, 6, 6, 6, 6]);
      await series(runIds[2]!, [9, 9]);

      const values = await readRungValues(db, {
        sweepId: sweep.id,
        metric: 'loss/total',
        step: 4,
        window: 2,
      });

      const byRun = new Map(values.map((entry) => [entry.runId, entry.value]));
      assert.equal(byRun.size, 2, 'the run that stopped at step 2 has not reached the rung');
      assert.equal(byRun.get(runIds[0]!), 3);
      assert.equal(byRun.get(runIds[1]!), 6);

      const last = await readLastMetricValues(db, sweep.id, 'loss/total');
      const lastByRun = new Map(last.map((entry) => [entry.runId, entry]));
      assert.deepEqual(lastByRun.get(runIds[0]!), { runId: runIds[0], step: 5, value: 1 });
      assert.equal(lastByRun.get(runIds[2]!)!.step, 2);
    });
});
