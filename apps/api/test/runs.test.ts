import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { cancelRun, createRun, getRun } from '@hourglass/db';
import { createRedisConnection, subscribeCancels } from '@hourglass/queue';
import { RunSpec, type RunSpecInput } from '@hourglass/specs';

import { openTestApi, within, type TestApi } from './support.ts';

interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}

interface RunBody {
  id: string;
  name: string | null;
  status: string;
  spec: unknown;
}

let api: TestApi;

before(async () => {
  api = await openTestApi();
});

after(async () => {
  await api.close();
});

/** A small valid spec with a name no other test uses, to find its row by. */
function uniqueSpec(overrides: Partial<RunSpecInput> = {}): RunSpecInput {
  return {
    name: `api-test ${randomUUID()}`,
    model: { family: 'shallow-ae', channels: 4, kernelSize: 3, stride: 4 },
    imageSize: 16,
    ...overrides,
  };
}

/** Submits a spec through the API and remembers the run for cleanup. */
async function submit(spec: RunSpecInput = uniqueSpec()): Promise<RunBody> {
  const response = await api.app.inject({ method: 'POST', url: '/v1/runs', payload: spec });
  assert.equal(response.statusCode, 201, response.body);
  const run = response.json<RunBody>();
  api.track(run.id);
  return run;
}

function issuePaths(body: ErrorBody): string[] {
  return (body.error.issues ?? []).map((issue) => issue.path);
}

describe('POST /v1/runs', () => {
  test('a valid spec is stored with defaults filled in, queued, and answered 201', async () => {
    const spec = uniqueSpec();

    const response = await api.app.inject({ method: 'POST', url: '/v1/runs', payload: spec });
    const run = response.json<RunBody>();
    api.track(run.id);

    assert.equal(response.statusCode, 201);
    assert.equal(response.headers.location, `/v1/runs/${run.id}`);
    assert.equal(run.status, 'queued');
    assert.equal(run.name, spec.name);
    const expected = RunSpec.parse(spec);
    assert.deepEqual(run.spec, expected);
    assert.equal((run.spec as RunSpec).batchSize, 64);
    assert.deepEqual((await getRun(api.db, run.id)).spec, expected);
  });

  test('the submitted run is queued as a job whose id is the run id', async () => {
    const run = await submit();

    const job = await api.services.trainingQueue.getJob(run.id);

    assert.ok(job, 'expected a job with the run id');
    assert.equal(job.id, run.id);
    assert.deepEqual(job.data, { runId: run.id });
    assert.equal(await job.getState(), 'waiting');
  });

  test('an invalid spec is answered 400 naming each field, and no run is stored', async () => {
    const name = `invalid ${randomUUID()}`;

    const response = await api.app.inject({
      method: 'POST',
      url: '/v1/runs',
      payload: { name, model: { family: 'shallow-ae', channels: -1 }, batchSize: 'many' },
    });
    const body = response.json<ErrorBody>();

    assert.equal(response.statusCode, 400);
    assert.equal(body.error.code, 'HG_VALIDATION');
    assert.deepEqual(issuePaths(body).sort(), ['batchSize', 'model.channels']);
    assert.equal(await api.db.run.count({ where: { name } }), 0);
  });

  test('a kernel larger than the image is answered 400 naming model.kernelSize', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/v1/runs',
      payload: uniqueSpec({ model: { family: 'shallow-ae', kernelSize: 33 }, imageSize: 32 }),
    });

    assert.equal(response.statusCode, 400);
    assert.deepEqual(issuePaths(response.json<ErrorBody>()), ['model.kernelSize']);
  });

  test('an unknown model family is answered 400 naming model.family', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/v1/runs',
      payload: { model: { family: 'transformer' } },
    });

    assert.equal(response.statusCode, 400);
    assert.deepEqual(issuePaths(response.json<ErrorBody>()), ['model.family']);
  });

  test('a request without a body is answered 400 naming model', async () => {
    const response = await api.app.inject({ method: 'POST', url: '/v1/runs' });

    assert.equal(response.statusCode, 400);
    assert.deepEqual(issuePaths(response.json<ErrorBody>()), ['model']);
  });

  test('malformed JSON is answered 400 with a JSON error', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/v1/runs',
      headers: { 'content-type': 'application/json' },
      payload: '{"model": {"family": "shallow-ae"',
    });

    assert.equal(response.statusCode, 400);
    assert.match(String(response.headers['content-type']), /application\/json/);
    const body = response.json<ErrorBody>();
    assert.equal(typeof body.error.code, 'string');
    assert.equal(typeof body.error.message, 'string');
  });
});

describe('GET /v1/runs/:id', () => {
  test('a stored run is returned as submitted', async () => {
    const run = await submit();

    const response = await api.app.inject({ method: 'GET', url: `/v1/runs/${run.id}` });

    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), run);
  });

  test('an unknown uuid is answered 404', async () => {
    const response = await api.app.inject({ method: 'GET', url: `/v1/runs/${randomUUID()}` });

    assert.equal(response.statusCode, 404);
    assert.equal(response.json<ErrorBody>().error.code, 'HG_NOT_FOUND');
  });

  test('an id that is not a uuid is answered 400 naming id', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/v1/runs/not-a-uuid' });

    assert.equal(response.statusCode, 400);
    assert.deepEqual(issuePaths(response.json<ErrorBody>()), ['id']);
  });
});

describe('GET /v1/runs', () => {
  let sweepId: string;
  const cancelledIds: string[] = [];

  before(async () => {
    const sweep = await api.db.sweep.create({
      data: { name: 'api list test', baseSpec: {}, space: {} },
    });
    sweepId = sweep.id;
    const spec = RunSpec.parse(uniqueSpec());
    for (let i = 0; i < 3; i += 1) {
      const run = await createRun(api.db, { spec, sweepId });
      api.track(run.id);
      await cancelRun(api.db, run.id);
      cancelledIds.push(run.id);
    }
    const queued = await createRun(api.db, { spec, sweepId });
    api.track(queued.id);
  });

  after(async () => {
    await api.db.sweep.delete({ where: { id: sweepId } });
  });

  test('status=cancelled returns only cancelled runs, paged by limit and offset', async () => {
    const base = `/v1/runs?status=cancelled&sweepId=${sweepId}&limit=2`;

    const first = await api.app.inject({ method: 'GET', url: `${base}&offset=0` });
    const second = await api.app.inject({ method: 'GET', url: `${base}&offset=2` });

    assert.equal(first.statusCode, 200);
    assert.equal(second.statusCode, 200);
    const pages = [first.json(), second.json()];
    assert.deepEqual(
      pages.map(({ total, limit, offset, runs }) => ({ total, limit, offset, size: runs.length })),
      [
        { total: 3, limit: 2, offset: 0, size: 2 },
        { total: 3, limit: 2, offset: 2, size: 1 },
      ],
    );
    const runs: RunBody[] = pages.flatMap((page) => page.runs);
    assert.ok(runs.every((run) => run.status === 'cancelled'));
    assert.deepEqual(runs.map((run) => run.id).sort(), [...cancelledIds].sort());
  });

  test('without a status every run of the sweep is listed', async () => {
    const response = await api.app.inject({ method: 'GET', url: `/v1/runs?sweepId=${sweepId}` });

    assert.equal(response.statusCode, 200);
    assert.equal(response.json().total, 4);
  });

  test('an unknown status is answered 400 naming status', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/v1/runs?status=paused' });

    assert.equal(response.statusCode, 400);
    assert.deepEqual(issuePaths(response.json<ErrorBody>()), ['status']);
  });

  test('a limit of zero is answered 400 naming limit', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/v1/runs?limit=0' });

    assert.equal(response.statusCode, 400);
    assert.deepEqual(issuePaths(response.json<ErrorBody>()), ['limit']);
  });
});

describe('POST /v1/runs/:id/cancel', () => {
  test('a queued run is cancelled and its job leaves the queue', async () => {
    const run = await submit();
    assert.ok(await api.services.trainingQueue.getJob(run.id));

    const response = await api.app.inject({ method: 'POST', url: `/v1/runs/${run.id}/cancel` });

    assert.equal(response.statusCode, 200);
    assert.equal(response.json<RunBody>().status, 'cancelled');
    assert.equal((await getRun(api.db, run.id)).status, 'cancelled');
    assert.equal(await api.services.trainingQueue.getJob(run.id), undefined);
  });

  test('cancelling twice is answered 200 both times and the run stays cancelled', async () => {
    const run = await submit();
    const url = `/v1/runs/${run.id}/cancel`;

    const first = await api.app.inject({ method: 'POST', url });
    const second = await api.app.inject({ method: 'POST', url });

    assert.equal(first.statusCode, 200);
    assert.equal(second.statusCode, 200);
    assert.equal(second.json<RunBody>().status, 'cancelled');
  });

  test('a cancel is announced to workers on the queue prefix\'s channel', async () => {
    const run = await submit();
    let resolveHeard: (runId: string) => void = () => {};
    const heard = new Promise<string>((resolve) => {
      resolveHeard = resolve;
    });
    const subscriber = createRedisConnection();
    const unsubscribe = await subscribeCancels(
      subscriber,
      (runId) => resolveHeard(runId),
      api.services.queuePrefix,
    );
    try {
      await api.app.inject({ method: 'POST', url: `/v1/runs/${run.id}/cancel` });

      assert.equal(await within(heard, 3_000, 'the cancel message'), run.id);
    } finally {
      await unsubscribe();
      subscriber.disconnect();
    }
  });

  test('a succeeded run cannot be cancelled: 409, and it stays succeeded', async () => {
    const run = await submit();
    await api.db.run.update({ where: { id: run.id }, data: { status: 'succeeded' } });

    const response = await api.app.inject({ method: 'POST', url: `/v1/runs/${run.id}/cancel` });

    assert.equal(response.statusCode, 409);
    assert.equal(response.json<ErrorBody>().error.code, 'HG_CONFLICT');
    assert.equal((await getRun(api.db, run.id)).status, 'succeeded');
  });

  test('cancelling an unknown run is answered 404', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: `/v1/runs/${randomUUID()}/cancel`,
    });

    assert.equal(response.statusCode, 404);
  });
});
