import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { createRun } from '@hourglass/db';
import { enqueueTrainingRun } from '@hourglass/queue';
import { RunSpec } from '@hourglass/specs';

import { buildApp } from '../src/index.ts';
import { openTestApi, type TestApi } from './support.ts';

let api: TestApi;
let dashboardDir: string;

before(async () => {
  api = await openTestApi();
  dashboardDir = await mkdtemp(join(tmpdir(), 'hourglass-dashboard-'));
  await mkdir(join(dashboardDir, 'assets'));
  await writeFile(join(dashboardDir, 'index.html'), '<!doctype html><div id="root"></div>');
  await writeFile(join(dashboardDir, 'assets', 'app-1234.js'), 'console.log(1)');
});

after(async () => {
  await api.close();
  await rm(dashboardDir, { recursive: true, force: true });
});

describe('GET /v1/queues', () => {
  test('counts the jobs of the training and evaluation queues by state', async () => {
    const spec = RunSpec.parse({ model: { family: 'shallow-ae' } });
    const run = await createRun(api.db, { spec });
    api.track(run.id);
    await enqueueTrainingRun(api.services.trainingQueue, run.id);

    const response = await api.app.inject({ url: '/v1/queues' });

    assert.equal(response.statusCode, 200, response.body);
    const queues = response.json().queues as { name: string; waiting: number }[];
    assert.deepEqual(
      queues.map((queue) => queue.name),
      ['hourglass-training', 'hourglass-evaluation'],
    );
    assert.equal(queues[0]!.waiting, 1);
    assert.deepEqual(Object.keys(queues[1]!).sort(), [
      'active',
      'completed',
      'delayed',
      'failed',
      'name',
      'waiting',
    ]);
  });
});

describe('the dashboard at /', () => {
  test('serves index.html at / and at client routes, and assets by path', async () => {
    const app = buildApp(api.services, { dashboardDir });
    try {
      for (const url of ['/', '/sweeps', '/runs/abc', '/compare?runs=a,b']) {
        const response = await app.inject({ url });
        assert.equal(response.statusCode, 200, url);
        assert.match(response.headers['content-type'] as string, /text\/html/);
        assert.match(response.body, /id="root"/);
      }
      const asset = await app.inject({ url: '/assets/app-1234.js' });
      assert.equal(asset.statusCode, 200);
      assert.match(asset.headers['cache-control'] as string, /immutable/);
    } finally {
      await app.close();
    }
  });

  test('leaves unknown API paths and missing files to the JSON 404', async () => {
    const app = buildApp(api.services, { dashboardDir });
    try {
      for (const url of ['/v1/nothing', '/v1/runs/abc/nothing', '/assets/gone.js', '/x.png']) {
        const response = await app.inject({ url });
        assert.equal(response.statusCode, 404, url);
        assert.equal(response.json().error.code, 'HG_NOT_FOUND', url);
      }
      const known = await app.inject({ url: '/v1/queues' });
      assert.equal(known.statusCode, 200);
    } finally {
      await app.close();
    }
  });

  test('starts without a build, and / says how to make one', async () => {
    const app = buildApp(api.services, { dashboardDir: join(dashboardDir, 'missing') });
    try {
      const response = await app.inject({ url: '/' });
      assert.equal(response.statusCode, 404);
      assert.match(response.json().error.message, /npm run build -w @hourglass\/dashboard/);
      assert.equal((await app.inject({ url: '/v1/queues' })).statusCode, 200);
    } finally {
      await app.close();
    }
  });
});
