import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

import { isFinished, smallRun, startFleet, type Fleet } from './harness.ts';
import { startTcpProxy } from './tcp-proxy.ts';

const LONG_RUN = smallRun({
  schedule: { unit: 'steps', steps: 600 },
  checkpointEverySteps: 200,
  metricsEverySteps: 10,
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A Redis of the test's own, with an append-only file so a restart keeps the queue. */
async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes',
      '--appendfsync', 'always', '--save', ''],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    const isUp = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(true));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
    });
    if (isUp) return redis;
    if (Date.now() > deadline) throw new Error('redis did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function assertCompleteRun(fleet: Fleet, id: string, steps: number): Promise<void> {
  const run = await fleet.waitForRun(id, isFinished, 120_000);
  assert.equal(run.status, 'succeeded', String(run.error));
  assert.equal(run.step, steps);
  assert.equal(run.attempts, 1);
  const response = await fleet.api.app.inject({ url: `/v1/runs/${id}/metrics?name=loss/total` });
  const recorded = response.json().points.map((point: { step: number }) => point.step);
  assert.deepEqual(recorded, Array.from({ length: steps }, (_, index) => index + 1));
}

describe('outages while a run trains', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  test('a Redis restart is ridden out: the run succeeds on its first attempt', async () => {
    const port = await freePort();
    const dir = await mkdtemp(join(tmpdir(), 'hourglass-redis-'));
    let redis = await startRedis(port, dir);
    const fleet = await startFleet({}, { REDIS_URL: `redis://127.0.0.1:${port}` });
    cleanups.push(async () => {
      await fleet.close();
      redis.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    });

    const { id } = await fleet.submit(LONG_RUN);
    await fleet.waitForRun(id, (run) => run.status === 'running' && run.step >= 20);
    redis.kill('SIGTERM');
    await once(redis, 'exit');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    redis = await startRedis(port, dir);

    await assertCompleteRun(fleet, id, 600);
  });

  test('Postgres unreachable for seconds: writes are retried, nothing lost', async () => {
    const proxy = await startTcpProxy(5432);
    const databaseUrl = new URL(
      process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/hourglass',
    );
    databaseUrl.port = String(proxy.port);
    const fleet = await startFleet({ DATABASE_URL: databaseUrl.toString() });
    cleanups.push(async () => {
      await fleet.close();
      await proxy.close();
    });

    const { id } = await fleet.submit(LONG_RUN);
    await fleet.waitForRun(id, (run) => run.status === 'running' && run.step >= 20);
    const queue = fleet.api.services.trainingQueue;
    const progressOf = async () => ((await queue.getJob(id))?.progress as { step: number }).step;
    assert.ok(proxy.cut() > 0, 'the worker was not connected through the proxy');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const stepEarlyInOutage = await progressOf();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    // The trainer waits for its metrics to be stored, so it pauses too.
    assert.ok((await progressOf()) - stepEarlyInOutage <= 10, 'training ran on unrecorded');
    proxy.restore();

    await assertCompleteRun(fleet, id, 600);
  });
});
