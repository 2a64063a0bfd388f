import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  createDatabase,
  findLatestCheckpoint,
  listCheckpoints,
  listMetrics,
  recordCheckpoint,
  recordMetrics,
  type Database,
  type MetricValue,
  type NewCheckpoint,
} from '../src/index.ts';
import { CreatedRuns } from './support.ts';

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

function checkpointAt(
  runId: string,
  step: number,
  location = `/tmp/ckpt-${step}`,
): NewCheckpoint {
  return { runId, step, location, sizeBytes: 1_000 + step, sha256: `sha-${step}` };
}

describe('recordMetrics', () => {
  test('a replayed batch writes nothing and keeps the first values', async () => {
    const run = await created.create();
    const points: MetricValue[] = [
      { name: 'loss', step: 10, value: 0.5 },
      { name: 'loss', step: 20, value: 0.25 },
      { name: 'lr', step: 10, value: 0.001 },
    ];

    const first = await recordMetrics(db, run.id, points);
    const replayed = await recordMetrics(
      db,
      run.id,
      points.map((point) => ({ ...point, value: point.value + 100 })),
    );
    const stored = await listMetrics(db, run.id, { limit: 100 });

    assert.equal(first, 3);
    assert.equal(replayed, 0);
    assert.deepEqual(
      stored.map(({ name, step, value }) => ({ name, step, value })),
      [
        { name: 'loss', step: 10, value: 0.5 },
        { name: 'lr', step: 10, value: 0.001 },
        { name: 'loss', step: 20, value: 0.25 },
      ],
    );
  });

  test('a batch that partly overlaps counts only its new points', async () => {
    const run = await created.create();
    await recordMetrics(db, run.id, [{ name: 'loss', step: 1, value: 1 }]);

    const count = await recordMetrics(db, run.id, [
      { name: 'loss', step: 1, value: 9 },
      { name: 'loss', step: 2, value: 0.9 },
    ]);

    assert.equal(count, 1);
    const stored = await listMetrics(db, run.id, { limit: 100 });
    assert.deepEqual(stored.map((point) => point.value), [1, 0.9]);
  });

  test('an empty batch writes nothing', async () => {
    const run = await created.create();

    assert.equal(await recordMetrics(db, run.id, []), 0);
  });

  test('listMetrics filters by name, starts after a step, and honours the limit', async () => {
    const run = await created.create();
    await recordMetrics(db, run.id, [
      { name: 'loss', step: 30, value: 3 },
      { name: 'loss', step: 10, value: 1 },
      { name: 'loss', step: 20, value: 2 },
      { name: 'lr', step: 20, value: 0.1 },
    ]);

    const loss = await listMetrics(db, run.id, { name: 'loss', limit: 100 });
    const after10 = await listMetrics(db, run.id, { name: 'loss', afterStep: 10, limit: 100 });
    const limited = await listMetrics(db, run.id, { limit: 2 });

    assert.deepEqual(loss.map((point) => point.step), [10, 20, 30]);
    assert.deepEqual(after10.map((point) => point.step), [20, 30]);
    assert.deepEqual(
      limited.map((point) => [point.name, point.step]),
      [['loss', 10], ['loss', 20]],
    );
  });
});

describe('recordCheckpoint', () => {
  test('saving the same step again replaces that row instead of adding one', async () => {
    const run = await created.create();
    const first = await recordCheckpoint(db, checkpointAt(run.id, 100, '/tmp/first'));

    const second = await recordCheckpoint(db, {
      ...checkpointAt(run.id, 100, '/tmp/second'),
      sizeBytes: 5_000_000_000,
      sha256: 'replaced',
    });
    const rows = await listCheckpoints(db, run.id);

    assert.equal(second.id, first.id);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.location, '/tmp/second');
    assert.equal(rows[0]?.sizeBytes, 5_000_000_000n);
    assert.equal(rows[0]?.sha256, 'replaced');
  });

  test('listCheckpoints returns a run\'s checkpoints oldest first', async () => {
    const run = await created.create();
    for (const step of [200, 50, 100]) await recordCheckpoint(db, checkpointAt(run.id, step));

    const rows = await listCheckpoints(db, run.id);

    assert.deepEqual(rows.map((row) => row.step), [50, 100, 200]);
  });
});

describe('findLatestCheckpoint', () => {
  test('the checkpoint with the highest step is the latest, whatever the order saved', async () => {
    const run = await created.create();
    for (const step of [100, 300, 200]) await recordCheckpoint(db, checkpointAt(run.id, step));

    const latest = await findLatestCheckpoint(db, run.id);

    assert.equal(latest?.step, 300);
    assert.equal(latest?.location, '/tmp/ckpt-300');
  });

  test('a run without checkpoints has no latest one', async () => {
    const run = await created.create();

    assert.equal(await findLatestCheckpoint(db, run.id), undefined);
  });

  test('another run\'s checkpoints are never returned', async () => {
    const withCheckpoint = await created.create();
    const without = await created.create();
    await recordCheckpoint(db, checkpointAt(withCheckpoint.id, 10));

    assert.equal(await findLatestCheckpoint(db, without.id), undefined);
    assert.deepEqual(await listCheckpoints(db, without.id), []);
  });
});

describe('deleting a run', () => {
  test('its metrics and checkpoints are deleted with it', async () => {
    const run = await created.create();
    await recordMetrics(db, run.id, [{ name: 'loss', step: 1, value: 1 }]);
    await recordCheckpoint(db, checkpointAt(run.id, 1));

    await db.run.delete({ where: { id: run.id } });

    assert.equal(await db.metricPoint.count({ where: { runId: run.id } }), 0);
    assert.equal(await db.checkpoint.count({ where: { runId: run.id } }), 0);
  });
});
