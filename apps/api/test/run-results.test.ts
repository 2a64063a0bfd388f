import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { createRun, recordCheckpoint, recordMetrics } from '@hourglass/db';
import { RunSpec } from '@hourglass/specs';

import { openTestApi, type TestApi } from './support.ts';

interface MetricsBody {
  runId: string;
  points: { name: string; step: number; value: number; time: string }[];
}

interface CheckpointsBody {
  runId: string;
  checkpoints: {
    id: string;
    step: number;
    location: string;
    sizeBytes: number;
    sha256: string;
    createdAt: string;
  }[];
}

let api: TestApi;
let runId: string;
let emptyRunId: string;

before(async () => {
  api = await openTestApi();
  const spec = RunSpec.parse({ model: { family: 'shallow-ae' } });
  const run = await createRun(api.db, { spec });
  const empty = await createRun(api.db, { spec });
  api.track(run.id);
  api.track(empty.id);
  runId = run.id;
  emptyRunId = empty.id;

  // Saved out of order, so that the step order has to come from the API.
  await recordMetrics(api.db, runId, [
    { name: 'loss', step: 30, value: 0.3 },
    { name: 'loss', step: 10, value: 0.1 },
    { name: 'lr', step: 20, value: 0.002 },
    { name: 'loss', step: 20, value: 0.2 },
    { name: 'lr', step: 10, value: 0.001 },
  ]);
  await recordCheckpoint(api.db, {
    runId,
    step: 200,
    location: '/tmp/ckpt-200',
    sizeBytes: 6_000_000_000,
    sha256: 'b'.repeat(64),
  });
  await recordCheckpoint(api.db, {
    runId,
    step: 100,
    location: '/tmp/ckpt-100',
    sizeBytes: 1_024,
    sha256: 'a'.repeat(64),
  });
});

after(async () => {
  await api.close();
});

async function getMetrics(query = ''): Promise<MetricsBody> {
  const url = `/v1/runs/${runId}/metrics${query}`;
  const response = await api.app.inject({ method: 'GET', url });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<MetricsBody>();
}

describe('GET /v1/runs/:id/metrics', () => {
  test('every point is returned in step order', async () => {
    const body = await getMetrics();

    assert.equal(body.runId, runId);
    assert.deepEqual(
      body.points.map(({ name, step, value }) => [name, step, value]),
      [
        ['loss', 10, 0.1],
        ['lr', 10, 0.001],
        ['loss', 20, 0.2],
        ['lr', 20, 0.002],
        ['loss', 30, 0.3],
      ],
    );
    assert.ok(body.points.every((point) => !Number.isNaN(Date.parse(point.time))));
  });

  test('name keeps only that metric', async () => {
    const body = await getMetrics('?name=lr');

    assert.deepEqual(
      body.points.map((point) => [point.name, point.step]),
      [['lr', 10], ['lr', 20]],
    );
  });

  test('afterStep returns only later steps', async () => {
    const body = await getMetrics('?name=loss&afterStep=10');

    assert.deepEqual(body.points.map((point) => point.step), [20, 30]);
  });

  test('limit caps the number of points', async () => {
    const body = await getMetrics('?limit=2');

    assert.deepEqual(
      body.points.map((point) => [point.name, point.step]),
      [['loss', 10], ['lr', 10]],
    );
  });

  test('a run without metrics has an empty list', async () => {
    const response = await api.app.inject({
      method: 'GET',
      url: `/v1/runs/${emptyRunId}/metrics`,
    });

    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { runId: emptyRunId, points: [] });
  });

  test('an afterStep that is not a number is answered 400 naming afterStep', async () => {
    const response = await api.app.inject({
      method: 'GET',
      url: `/v1/runs/${runId}/metrics?afterStep=soon`,
    });

    assert.equal(response.statusCode, 400);
    assert.deepEqual(
      response.json().error.issues.map((issue: { path: string }) => issue.path),
      ['afterStep'],
    );
  });

  test('metrics of an unknown run are answered 404', async () => {
    const response = await api.app.inject({
      method: 'GET',
      url: `/v1/runs/${randomUUID()}/metrics`,
    });

    assert.equal(response.statusCode, 404);
  });
});

describe('GET /v1/runs/:id/checkpoints', () => {
  test('checkpoints come oldest first with their size as a number', async () => {
    const response = await api.app.inject({
      method: 'GET',
      url: `/v1/runs/${runId}/checkpoints`,
    });
    const body = response.json<CheckpointsBody>();

    assert.equal(response.statusCode, 200);
    assert.equal(body.runId, runId);
    assert.deepEqual(
      body.checkpoints.map(({ step, location, sizeBytes, sha256 }) => ({
        step,
        location,
        sizeBytes,
        sha256,
      })),
      [
        { step: 100, location: '/tmp/ckpt-100', sizeBytes: 1_024, sha256: 'a'.repeat(64) },
        { step: 200, location: '/tmp/ckpt-200', sizeBytes: 6_000_000_000, sha256: 'b'.repeat(64) },
      ],
    );
    assert.ok(body.checkpoints.every((checkpoint) => typeof checkpoint.sizeBytes === 'number'));
  });

  test('a run without checkpoints has an empty list', async () => {
    const response = await api.app.inject({
      method: 'GET',
      url: `/v1/runs/${emptyRunId}/checkpoints`,
    });

    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { runId: emptyRunId, checkpoints: [] });
  });

  test('checkpoints of an unknown run are answered 404', async () => {
    const response = await api.app.inject({
      method: 'GET',
      url: `/v1/runs/${randomUUID()}/checkpoints`,
    });

    assert.equal(response.statusCode, 404);
  });
});
