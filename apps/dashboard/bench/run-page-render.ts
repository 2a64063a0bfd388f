// Measures how long the run page takes to draw the charts of a run with
// 50,000 metric points (5 metrics x 10,000 steps), served thinned (the
// page's default, 2,000 points per metric) and whole (?maxPoints=100000),
// in headless Chromium against a real API and Postgres. Not a test: it
// prints numbers. Usage: npm run bench -w @hourglass/dashboard
import { randomUUID } from 'node:crypto';

import { loadApiConfig, startApiServer } from '@hourglass/api';
import { createSilentLogger } from '@hourglass/common';
import { completeRun, createRun, recordMetrics, startRun, type MetricValue } from '@hourglass/db';
import { RunSpec } from '@hourglass/specs';
import type { Page } from 'playwright-core';

import { launchChromium } from '../test/support/chromium.ts';
import { buildDashboard } from '../test/support/fleet.ts';

const STEPS = 10_000;
const METRICS = [
  'loss/total',
  'loss/reconstruction',
  'loss/sparsity',
  'learning_rate',
  'images_per_second',
];
const REPEATS = 3;

function makePoints(): MetricValue[] {
  const points: MetricValue[] = [];
  for (let step = 0; step < STEPS; step += 1) {
    const decay = 1 / (1 + step / 500);
    const noise = Math.sin(step * 12.9898) * 0.02;
    points.push(
      { name: 'loss/total', step, value: decay + noise },
      { name: 'loss/reconstruction', step, value: 0.9 * decay + noise },
      { name: 'loss/sparsity', step, value: 0.1 * decay },
      { name: 'learning_rate', step, value: 1e-3 * (step < 1000 ? step / 1000 : 1) },
      { name: 'images_per_second', step, value: 400 + 50 * Math.sin(step / 100) },
    );
  }
  return points;
}

interface Measurement {
  drawnMs: number;
  points: number;
  payloadBytes: number;
}

/** Opens the page and waits until every chart has drawn all the points it holds. */
async function measure(page: Page, url: string): Promise<Measurement> {
  let payloadBytes = 0;
  const onResponse = async (response: { url(): string; body(): Promise<Buffer> }) => {
    if (response.url().includes('/metrics')) payloadBytes += (await response.body()).length;
  };
  page.on('response', onResponse);
  await page.goto('about:blank');
  await page.goto(url);
  const handle = await page.waitForFunction(
    (chartCount) => {
      const charts = [...document.querySelectorAll<HTMLElement>('#curves [data-chart]')];
      if (charts.length < chartCount) return false;
      let points = 0;
      for (const chart of charts) {
        const drawn = chart.querySelector<HTMLElement>('[data-drawn-points]')?.dataset.drawnPoints;
        if (drawn === undefined || drawn !== chart.dataset.points) return false;
        points += Number(drawn);
      }
      // performance.now() counts from the start of the navigation.
      return { drawnMs: performance.now(), points };
    },
    METRICS.length,
    { polling: 'raf', timeout: 60_000 },
  );
  const result = (await handle.jsonValue()) as { drawnMs: number; points: number };
  page.off('response', onResponse);
  return { ...result, payloadBytes };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  buildDashboard();
  const api = await startApiServer(
    loadApiConfig({
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      QUEUE_PREFIX: `bench-${randomUUID()}`,
    }),
    createSilentLogger(),
  );
  const { db } = api.services;
  const spec = RunSpec.parse({ name: 'render benchmark', model: { family: 'shallow-ae' } });
  const run = await createRun(db, { spec });
  const browser = await launchChromium();
  try {
    const start = { workerId: 'bench', backend: 'wasm', device: 'cpu', totalSteps: STEPS };
    await startRun(db, run.id, start);
    const points = makePoints();
    for (let start = 0; start < points.length; start += 5_000) {
      await recordMetrics(db, run.id, points.slice(start, start + 5_000));
    }
    await completeRun(db, run.id, STEPS - 1);
    console.log(
      `run page of a run with ${points.length.toLocaleString('en')} metric points ` +
        `(${METRICS.length} metrics x ${STEPS.toLocaleString('en')} steps), ` +
        `headless Chromium, median of ${REPEATS}`,
    );

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    for (const [label, query] of [
      ['thinned (default, maxPoints=2000)', ''],
      ['whole (maxPoints=100000)', '?maxPoints=100000'],
    ] as const) {
      const runs: Measurement[] = [];
      for (let repeat = 0; repeat < REPEATS; repeat += 1) {
        runs.push(await measure(page, `${api.url}/runs/${run.id}${query}`));
      }
      const drawnMs = median(runs.map((entry) => entry.drawnMs));
      const { points: drawn, payloadBytes } = runs[0]!;
      console.log(
        `  ${label}: ${drawn.toLocaleString('en')} points drawn, metrics payload ` +
          `${(payloadBytes / 1024).toFixed(0)} KiB, charts drawn ${drawnMs.toFixed(0)} ms ` +
          `after navigation (runs: ${runs.map((entry) => entry.drawnMs.toFixed(0)).join(', ')} ms)`,
      );
    }
  } finally {
    await browser.close();
    await db.run.deleteMany({ where: { id: run.id } });
    await api.close();
  }
}

await main();
