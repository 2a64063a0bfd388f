import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { getRun, recordCheckpoint, recordEvaluationResults, recordMetrics } from '@hourglass/db';
import { createRedisConnection, subscribeCancels } from '@hourglass/queue';
import { toJobPriority, type SweepSpecInput } from '@hourglass/sweeps';

import { openTestApi, within, type TestApi } from './support.ts';

interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}

interface SweepBody {
  id: string;
  name: string | null;
  status: string;
  runCount: number;
  counts: Record<string, number>;
  runIds: string[];
}

interface LeaderboardBody extends SweepBody {
  leaderboard: {
    metric: string;
    mode: string;
    entries: {
      rank: number | null;
      runId: string;
      status: string;
      parameters: Record<string, unknown>;
      value: number | null;
      valueStep: number | null;
      source: { layer: string; area: string; method: string } | null;
    }[];
  };
}

let api: TestApi;
let down: TestApi;
const sweepIds: string[] = [];

before(async () => {
  api = await openTestApi();
  down = await openTestApi({ isRedisDown: true });
});

after(async () => {
  await api.db.run.deleteMany({ where: { sweepId: { in: sweepIds } } });
  await api.db.sweep.deleteMany({ where: { id: { in: sweepIds } } });
  await api.close();
  await down.close();
});

/** A small sweep with a name no other test uses. */
function uniqueSweep(overrides: Partial<SweepSpecInput> = {}): SweepSpecInput {
  return {
    name: `api sweep test ${randomUUID()}`,
    base: {
      model: { family: 'shallow-ae', channels: 4, kernelSize: 3, stride: 4 },
      imageSize: 16,
      schedule: { unit: 'steps', steps: 20 },
    },
    parameters: { 'optimizer.learningRate': [0.001, 0.01], 'model.activation': ['relu'] },
    seeds: [0, 1],
    ...overrides,
  };
}

async function submitSweep(spec: SweepSpecInput, on: TestApi = api) {
  const response = await on.app.inject({ method: 'POST', url: '/v1/sweeps', payload: spec });
  if (response.statusCode === 201) sweepIds.push(response.json<SweepBody>().id);
  return response;
}

async function createdSweep(spec: SweepSpecInput = uniqueSweep()): Promise<SweepBody> {
  const response = await submitSweep(spec);
  assert.equal(response.statusCode, 201, response.body);
  return response.json<SweepBody>();
}

async function showSweep(id: string, query = ''): Promise<LeaderboardBody> {
  const response = await api.app.inject({ method: 'GET', url: `/v1/sweeps/${id}${query}` });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<LeaderboardBody>();
}

async function jobIds(): Promise<string[]> {
  const jobs = await api.services.trainingQueue.getJobs(['waiting', 'prioritized']);
  return jobs.map((job) => job.id!);
}

describe('POST /v1/sweeps', () => {
  test('every run is stored and only the first maxConcurrent are queued', async () => {
    const sweep = await createdSweep(uniqueSweep({ maxConcurrent: 3, priority: 80 }));

    const runs = await api.db.run.findMany({
      where: { sweepId: sweep.id },
      orderBy: { sweepIndex: 'asc' },
    });
    const queued = await jobIds();

    assert.equal(sweep.runCount, 4);
    assert.deepEqual(sweep.runIds, runs.map((run) => run.id));
    assert.deepEqual(
      runs.map((run) => [run.status, run.isHeld]),
      [
        ['queued', false],
        ['queued', false],
        ['queued', false],
        ['queued', true],
      ],
    );
    assert.deepEqual(sweep.counts, {
      queued: 4,
      running: 0,
      succeeded: 0,
      failed: 0,
      cancelled: 0,
      stopped_early: 0,
      held: 1,
    });
    assert.ok(sweep.runIds.slice(0, 3).every((id) => queued.includes(id)));
    assert.ok(!queued.includes(sweep.runIds[3]!));
    const job = await api.services.trainingQueue.getJob(sweep.runIds[0]!);
    assert.equal(job?.opts.priority, toJobPriority(80));
  });

  test('each run\'s spec is the base with its parameters and seed written in', async () => {
    const sweep = await createdSweep();

    const specs = await Promise.all(
      sweep.runIds.map(async (id) => (await getRun(api.db, id)).spec as Record<string, never>),
    );

    assert.deepEqual(
      specs.map((spec) => [spec['optimizer']!['learningRate'], spec['seed']]),
      [
        [0.001, 0],
        [0.001, 1],
        [0.01, 0],
        [0.01, 1],
      ],
    );
  });

  test('a sweep larger than the cap is answered 400 saying how many runs, storing none',
    async () => {
      const spec = uniqueSweep({
        parameters: { 'model.channels': { distribution: 'integer', min: 1, max: 300 } },
        seeds: [0, 1],
      });

      const response = await submitSweep(spec);

      assert.equal(response.statusCode, 400);
      const body = response.json<ErrorBody>();
      assert.equal(body.error.code, 'HG_VALIDATION');
      assert.match(body.error.message, /would make 600 runs; at most 500 are allowed/);
      assert.equal(await api.db.sweep.count({ where: { name: spec.name! } }), 0);
    });

  test('a value that makes a run spec invalid is answered 400 naming the parameter and field',
    async () => {
      const spec = uniqueSweep({ parameters: { 'optimizer.learningRate': [0.01, 50] } });

      const response = await submitSweep(spec);

      assert.equal(response.statusCode, 400);
      const [issue, ...others] = response.json<ErrorBody>().error.issues ?? [];
      assert.equal(others.length, 0);
      assert.equal(issue?.path, 'parameters.optimizer.learningRate');
      assert.match(issue?.message ?? '', /^50 makes optimizer.learningRate invalid/);
      assert.equal(await api.db.sweep.count({ where: { name: spec.name! } }), 0);
    });

  test('a malformed sweep spec is answered 400 naming its fields', async () => {
    const response = await submitSweep({
      ...uniqueSweep(),
      strategy: 'random',
      parameters: { 'model.channels': { distribution: 'integer', min: 2, max: 8 } },
    });

    assert.equal(response.statusCode, 400);
    const paths = (response.json<ErrorBody>().error.issues ?? []).map((issue) => issue.path);
    assert.deepEqual(paths, ['trials']);
  });

  test('with Redis down the submit is answered 503 and the stored runs are failed',
    async () => {
      const spec = uniqueSweep();

      const response = await submitSweep(spec, down);
      const stored = await down.db.sweep.findFirst({ where: { name: spec.name! } });
      if (stored) sweepIds.push(stored.id);

      assert.equal(response.statusCode, 503);
      assert.ok(stored?.cancelledAt, 'the sweep releases nothing later');
      const runs = await down.db.run.findMany({ where: { sweepId: stored.id } });
      assert.equal(runs.length, 4);
      assert.ok(runs.every((run) => run.status === 'failed'));
    });
});

describe('GET /v1/sweeps/:id', () => {
  test('the leaderboard ranks runs by their last value of the metric, best first',
    async () => {
      const sweep = await createdSweep();
      const [a, b, c, d] = sweep.runIds as [string, string, string, string];
      const loss = (step: number, value: number) => ({ name: 'loss/total', step, value });
      await recordMetrics(api.db, a, [loss(1, 0.1), loss(2, 0.5)]);
      await recordMetrics(api.db, b, [loss(1, 0.9), loss(2, 0.2)]);
      await recordMetrics(api.db, c, [loss(1, 0.3)]);
      await api.db.run.update({ where: { id: b }, data: { status: 'succeeded', step: 2 } });

      const board = await showSweep(sweep.id);

      assert.equal(board.leaderboard.metric, 'loss/total');
      assert.equal(board.leaderboard.mode, 'min');
      assert.deepEqual(
        board.leaderboard.entries.map((entry) => [entry.runId, entry.rank, entry.value]),
        [
          [b, 1, 0.2],
          [c, 2, 0.3],
          [a, 3, 0.5],
          [d, null, null],
        ],
      );
      const best = board.leaderboard.entries[0]!;
      assert.equal(best.status, 'succeeded');
      assert.equal(best.valueStep, 2);
      assert.deepEqual(best.parameters, {
        'optimizer.learningRate': 0.001,
        'model.activation': 'relu',
        seed: 1,
      });
      assert.equal(board.counts.succeeded, 1);
      assert.equal(board.counts.queued, 3);
      assert.equal(board.status, 'running');
    });

  test('?metric= and ?mode=max rank by another metric, largest first', async () => {
    const sweep = await createdSweep();
    const [a, b] = sweep.runIds as [string, string];
    await recordMetrics(api.db, a, [{ name: 'images_per_second', step: 5, value: 100 }]);
    await recordMetrics(api.db, b, [{ name: 'images_per_second', step: 5, value: 300 }]);

    const board = await showSweep(sweep.id, '?metric=images_per_second&mode=max&limit=2');

    assert.deepEqual(
      board.leaderboard.entries.map((entry) => entry.runId),
      [b, a],
    );
  });

  test('?metric=eval:<kind> ranks by an evaluation score at a chosen checkpoint', async () => {
    const sweep = await createdSweep();
    const [a, b, c] = sweep.runIds as [string, string, string];
    const probe = async (runId: string, step: number, scores: [string, number][]) => {
      const checkpoint = await recordCheckpoint(api.db, {
        runId,
        step,
        location: `runs/${runId}/step-${step}.ckpt`,
        sizeBytes: 1,
        sha256: 'x',
      });
      await recordEvaluationResults(
        api.db,
        { runId, checkpointId: checkpoint.id, step },
        'linear-probe',
        scores.map(([layer, score]) => ({ layer, score })),
      );
    };
    await probe(a, 0, [['conv1', 0.9], ['conv2', 0.1]]);
    await probe(a, 20, [['conv1', 0.3], ['conv2', 0.4]]);
    await probe(b, 20, [['conv1', 0.5], ['conv2', 0.2]]);
    await probe(c, 0, [['conv1', 0.2], ['conv2', 0.25]]);

    const latest = await showSweep(sweep.id, '?metric=eval:linear-probe');
    const entries = latest.leaderboard.entries;
    assert.equal(latest.leaderboard.mode, 'max');
    assert.deepEqual(
      entries.slice(0, 3).map((entry) => [entry.runId, entry.value, entry.valueStep]),
      [
        [b, 0.5, 20],
        [a, 0.4, 20],
        [c, 0.25, 0],
      ],
    );
    assert.deepEqual(entries[1]!.source, { layer: 'conv2', area: '', method: '' });

    const atStart = await showSweep(sweep.id, '?metric=eval:linear-probe&layer=conv1&step=0');
    assert.deepEqual(
      atStart.leaderboard.entries.map((entry) => [entry.runId, entry.rank, entry.value]),
      [
        [a, 1, 0.9],
        [c, 2, 0.2],
        [b, null, null],
        [sweep.runIds[3], null, null],
      ],
    );
  });

  test('an unknown sweep is answered 404 and a bad mode 400', async () => {
    const missing = await api.app.inject({ method: 'GET', url: `/v1/sweeps/${randomUUID()}` });
    const sweep = await createdSweep();
    const badMode = await api.app.inject({
      method: 'GET',
      url: `/v1/sweeps/${sweep.id}?mode=best`,
    });

    assert.equal(missing.statusCode, 404);
    assert.equal(badMode.statusCode, 400);
  });
});

describe('GET /v1/sweeps', () => {
  test('sweeps are listed newest first with their run counts', async () => {
    const older = await createdSweep();
    const newer = await createdSweep(uniqueSweep({ maxConcurrent: 1 }));

    const response = await api.app.inject({ method: 'GET', url: '/v1/sweeps?limit=500' });
    const { sweeps } = response.json<{ sweeps: SweepBody[] }>();
    const ids = sweeps.map((sweep) => sweep.id);

    assert.equal(response.statusCode, 200);
    assert.ok(ids.indexOf(newer.id) < ids.indexOf(older.id));
    const listed = sweeps.find((sweep) => sweep.id === newer.id)!;
    assert.equal(listed.counts.held, 3);
    assert.equal(listed.status, 'queued');
  });
});

describe('POST /v1/sweeps/:id/cancel', () => {
  test('queued runs leave the queue, running ones are told to stop, finished are kept',
    async () => {
      const sweep = await createdSweep(uniqueSweep({ maxConcurrent: 2 }));
      const [done, running, waiting, held] = sweep.runIds as [string, string, string, string];
      await api.db.run.update({ where: { id: done }, data: { status: 'succeeded' } });
      await api.db.run.update({ where: { id: running }, data: { status: 'running' } });
      const heard = new Set<string>();
      let resolveHeard: () => void = () => {};
      const heardRunning = new Promise<void>((resolve) => {
        resolveHeard = resolve;
      });
      const subscriber = createRedisConnection();
      const unsubscribe = await subscribeCancels(
        subscriber,
        (runId) => {
          heard.add(runId);
          if (runId === running) resolveHeard();
        },
        api.services.queuePrefix,
      );

      try {
        const response = await api.app.inject({
          method: 'POST',
          url: `/v1/sweeps/${sweep.id}/cancel`,
        });
        await within(heardRunning, 3_000, 'the cancel message of the running run');

        assert.equal(response.statusCode, 200, response.body);
        assert.equal(response.json<SweepBody>().status, 'cancelled');
        const statuses = await Promise.all(
          [done, running, waiting, held].map(async (id) => (await getRun(api.db, id)).status),
        );
        assert.deepEqual(statuses, ['succeeded', 'cancelled', 'cancelled', 'cancelled']);
        assert.equal(await api.services.trainingQueue.getJob(waiting), undefined);
        assert.ok(!heard.has(held), 'a held run has no worker to tell');
      } finally {
        await unsubscribe();
        subscriber.disconnect();
      }
    });

  test('cancelling a sweep twice is answered 200 both times', async () => {
    const sweep = await createdSweep();
    const url = `/v1/sweeps/${sweep.id}/cancel`;

    const first = await api.app.inject({ method: 'POST', url });
    const second = await api.app.inject({ method: 'POST', url });

    assert.equal(first.statusCode, 200);
    assert.equal(second.statusCode, 200);
    assert.equal(second.json<SweepBody>().counts.cancelled, 4);
  });

  test('cancelling a queued run of a sweep queues the next held run in its place',
    async () => {
      const sweep = await createdSweep(uniqueSweep({ maxConcurrent: 1 }));
      const [first, second] = sweep.runIds as [string, string];

      await api.app.inject({ method: 'POST', url: `/v1/runs/${first}/cancel` });

      assert.equal((await getRun(api.db, second)).isHeld, false);
      assert.ok(await api.services.trainingQueue.getJob(second), 'the next run is queued');
    });
});
