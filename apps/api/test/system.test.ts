import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { createSilentLogger } from '@hourglass/common';
import { createRun, getRun } from '@hourglass/db';
import { RunSpec } from '@hourglass/specs';

import { loadApiConfig, startApiServer } from '../src/index.ts';
import { openTestApi, type TestApi } from './support.ts';

let api: TestApi;
let down: TestApi;

before(async () => {
  api = await openTestApi();
  down = await openTestApi({ isRedisDown: true });
});

after(async () => {
  await api.close();
  await down.close();
});

describe('GET /v1/health', () => {
  test('with Postgres and Redis answering it is 200 and says ok for both', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/v1/health' });

    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok', postgres: 'ok', redis: 'ok' });
  });

  test('with Redis unreachable it is 503 and names redis as down', async () => {
    const response = await down.app.inject({ method: 'GET', url: '/v1/health' });

    assert.equal(response.statusCode, 503);
    assert.deepEqual(response.json(), { status: 'down', postgres: 'ok', redis: 'down' });
  });
});

describe('POST /v1/runs while Redis is down', () => {
  test('the submit is answered 503 and the stored run is marked failed', async () => {
    const name = `redis-down ${randomUUID()}`;

    const response = await down.app.inject({
      method: 'POST',
      url: '/v1/runs',
      payload: { name, model: { family: 'shallow-ae' } },
    });
    const rows = await down.db.run.findMany({ where: { name } });
    for (const row of rows) down.track(row.id);

    assert.equal(response.statusCode, 503);
    assert.equal(response.json().error.code, 'HG_UNAVAILABLE');
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.status, 'failed');
    assert.match(rows[0]?.error ?? '', /queued/);
  });
});

describe('POST /v1/runs/:id/cancel while Redis is down', () => {
  test('the cancel is recorded and answered 200', async () => {
    const spec = RunSpec.parse({ model: { family: 'shallow-ae' } });
    const run = await createRun(down.db, { spec });
    down.track(run.id);

    const response = await down.app.inject({ method: 'POST', url: `/v1/runs/${run.id}/cancel` });

    assert.equal((await getRun(down.db, run.id)).status, 'cancelled');
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().status, 'cancelled');
  });
});

describe('GET /v1/openapi.json', () => {
  const operations = [
    'get /v1/health',
    'get /v1/runs',
    'post /v1/runs',
    'get /v1/runs/{id}',
    'post /v1/runs/{id}/cancel',
    'post /v1/runs/{id}/retry',
    'get /v1/runs/{id}/metrics',
    'get /v1/runs/{id}/events',
    'get /v1/runs/{id}/checkpoints',
    'get /v1/runs/{id}/evaluations',
    'get /v1/runs/{id}/artifacts',
    'get /v1/artifacts/{id}/content',
    'get /v1/queues',
    'get /v1/workers',
    'get /v1/sweeps',
    'post /v1/sweeps',
    'get /v1/sweeps/{id}',
    'post /v1/sweeps/{id}/cancel',
  ];

  // A loose view of the document: just what these tests read.
  interface Operation {
    parameters: { name: string; in: string; required: boolean }[];
    requestBody?: {
      required: boolean;
      content: { 'application/json': { schema: { properties?: object; required?: string[] } } };
    };
    responses: Record<string, unknown>;
  }
  let paths: Record<string, Record<string, Operation>>;

  before(async () => {
    const response = await api.app.inject({ method: 'GET', url: '/v1/openapi.json' });
    assert.equal(response.statusCode, 200);
    const document = response.json();
    assert.equal(document.openapi, '3.1.0');
    paths = document.paths;
  });

  test('every route is documented, and nothing else', () => {
    const documented = Object.entries(paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );

    assert.deepEqual(documented.sort(), [...operations].sort());
  });

  test('every documented operation is served by the app', () => {
    for (const operation of operations) {
      const [method, path] = operation.split(' ') as [string, string];
      const url = path.replace(/\{(\w+)\}/g, ':$1');

      assert.ok(
        api.app.hasRoute({ method: method.toUpperCase() as 'GET' | 'POST', url }),
        `${operation} is not served`,
      );
    }
  });

  test('POST /v1/runs documents its request body with the run spec schema', () => {
    const body = paths['/v1/runs']?.post?.requestBody;

    assert.ok(body, 'expected a request body');
    assert.equal(body.required, true);
    const schema = body.content['application/json'].schema;
    assert.ok(schema.properties, 'expected the schema to list properties');
    assert.ok('model' in schema.properties && 'batchSize' in schema.properties);
    assert.deepEqual(schema.required, ['model']);
    assert.ok(paths['/v1/runs']?.post?.responses['201']);
  });

  test('routes with an id document it as a required path parameter', () => {
    for (const [path, methods] of Object.entries(paths)) {
      if (!path.includes('{id}')) continue;
      for (const operation of Object.values(methods)) {
        const id = operation.parameters.find((parameter) => parameter.name === 'id');
        assert.deepEqual({ in: id?.in, required: id?.required }, { in: 'path', required: true });
      }
    }
  });

  test('the list route documents its query parameters', () => {
    const names = paths['/v1/runs']?.get?.parameters.map((parameter) => parameter.name);

    assert.deepEqual(names?.sort(), ['limit', 'offset', 'status', 'sweepId']);
  });
});

describe('unknown routes', () => {
  test('an unknown route is answered 404 with a JSON error', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/v1/nothing-here' });

    assert.equal(response.statusCode, 404);
    assert.match(String(response.headers['content-type']), /application\/json/);
    assert.equal(response.json().error.code, 'HG_NOT_FOUND');
  });
});

describe('startApiServer', () => {
  test('it listens on the configured port, serves HTTP, and closes its connections', async () => {
    const config = loadApiConfig({
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      QUEUE_PREFIX: `test-${randomUUID()}`,
    });
    const server = await startApiServer(config, createSilentLogger());
    try {
      const response = await fetch(`${server.url}/v1/health`);

      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { status: 'ok', postgres: 'ok', redis: 'ok' });
    } finally {
      // The queue writes its metadata on start; this test's prefix must leave nothing.
      await server.services.trainingQueue.obliterate({ force: true });
      await server.close();
    }
  });

  test('a bad PORT in the environment is rejected naming PORT', () => {
    assert.throws(() => loadApiConfig({ PORT: 'eighty' }), /PORT/);
  });
});

describe('the API server started while Redis is down', () => {
  test('answers a submit with 503 within seconds instead of waiting for Redis', async () => {
    const server = await startApiServer(
      loadApiConfig({ ...process.env, PORT: '0', REDIS_URL: 'redis://127.0.0.1:1' }),
      createSilentLogger(),
    );
    const name = `server-redis-down ${randomUUID()}`;
    try {
      const startedAt = Date.now();
      const response = await server.app.inject({
        method: 'POST',
        url: '/v1/runs',
        payload: { name, model: { family: 'shallow-ae' } },
      });

      assert.equal(response.statusCode, 503);
      assert.ok(Date.now() - startedAt < 4_000, 'the submit waited for Redis');
    } finally {
      await server.services.db.run.deleteMany({ where: { name } });
      await server.close();
    }
  });
});

describe('POST /v1/runs/:id/cancel with an empty JSON body', () => {
  test('is accepted as a cancel without a body', async () => {
    const spec = RunSpec.parse({ model: { family: 'shallow-ae' } });
    const run = await createRun(api.db, { spec });
    api.track(run.id);

    const response = await api.app.inject({
      method: 'POST',
      url: `/v1/runs/${run.id}/cancel`,
      headers: { 'content-type': 'application/json' },
      payload: '',
    });

    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().status, 'cancelled');
  });
});
