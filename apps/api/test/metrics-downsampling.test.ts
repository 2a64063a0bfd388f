import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createRun, recordMetrics, type MetricValue } from '@hourglass/db';
import { RunSpec } from '@hourglass/specs';

import { openTestApi, type TestApi } from './support.ts';

interface MetricsBody {
  points: { name: string; step: number; value: number }[];
}

const POINT_COUNT = 10_000;
const SPIKE_STEP = 4_321;
const DIP_STEP = 7_777;

let api: TestApi;
let runId: string;

// A slowly falling loss with one spike and one dip that an evenly spaced
// sample of 200 points would almost surely miss.
function lossAt(step: number): number {
  if (step === SPIKE_STEP) return 50;
  if (step === DIP_STEP) return -5;
  return 1 / (1 + step / 1000) + 0.01 * Math.sin(step);
}

before(async () => {
  api = await openTestApi();
  const run = await createRun(api.db, { spec: RunSpec.parse({ model: { family: 'shallow-ae' } }) });
  api.track(run.id);
  runId = run.id;
  const points: MetricValue[] = [];
  for (let step = 0; step < POINT_COUNT; step += 1) {
    points.push({ name: 'loss', step, value: lossAt(step) });
    if (step % 100 === 0) points.push({ name: 'lr', step, value: 0.001 });
  }
  await recordMetrics(api.db, runId, points);
});

after(async () => {
  await api.close();
});

async function getMetrics(query: string): Promise<MetricsBody['points']> {
  const response = await api.app.inject({ url: `/v1/runs/${runId}/metrics?${query}` });
  assert.equal(response.statusCode, 200, response.body);
  return (response.json() as MetricsBody).points;
}

describe('GET /v1/runs/:id/metrics?maxPoints=', () => {
  test('thins a long series to at most maxPoints, keeping its ends and extremes', async () => {
    const points = await getMetrics('name=loss&maxPoints=200');

    assert.ok(points.length <= 200, `${points.length} points`);
    assert.ok(points.length >= 150, `only ${points.length} points`);
    assert.equal(points[0]!.step, 0);
    assert.equal(points.at(-1)!.step, POINT_COUNT - 1);
    assert.ok(points.some((point) => point.step === SPIKE_STEP && point.value === 50));
    assert.ok(points.some((point) => point.step === DIP_STEP && point.value === -5));
    const steps = points.map((point) => point.step);
    assert.deepEqual(steps, [...steps].sort((a, b) => a - b), 'points are in step order');
  });

  test('returns a series that fits whole, and thins each metric on its own', async () => {
    const points = await getMetrics('maxPoints=400');
    const lr = points.filter((point) => point.name === 'lr');
    const loss = points.filter((point) => point.name === 'loss');

    assert.equal(lr.length, POINT_COUNT / 100);
    assert.ok(loss.length <= 400 && loss.length > 300, `${loss.length} loss points`);
  });

  test('thins only the points after afterStep', async () => {
    const points = await getMetrics('name=loss&maxPoints=100&afterStep=8999');

    assert.ok(points.length <= 100);
    assert.equal(points[0]!.step, 9_000);
    assert.equal(points.at(-1)!.step, POINT_COUNT - 1);
  });

  test('refuses a maxPoints below 4 with a 400 naming the field', async () => {
    const response = await api.app.inject({ url: `/v1/runs/${runId}/metrics?maxPoints=2` });

    assert.equal(response.statusCode, 400);
    assert.match(response.body, /maxPoints/);
  });
});
