import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { listCheckpoints } from '@hourglass/db';
import type { Browser, Page } from 'playwright-core';

import {
  CHROMIUM_PATH,
  launchChromium,
  MISSING_CHROMIUM_MESSAGE,
} from './support/chromium.ts';
import { writeEvaluationScores } from './support/evaluation-rows.ts';
import {
  buildDashboard,
  OUTPUT_DIR,
  startDashboardFleet,
  type DashboardFleet,
} from './support/fleet.ts';

const SCREENSHOT_DIR = join(OUTPUT_DIR, 'screenshots');

/**
 * Long enough to watch the curve grow over several polls; the test stops
 * it. Its batches are large enough (about 0.1 s each) that a cancel
 * reaches the trainer through Redis before the worker's own status check.
 */
const UI_RUN_SPEC = {
  name: 'dashboard test run',
  model: { family: 'shallow-ae', channels: 64, kernelSize: 7, stride: 16 },
  dataset: { kind: 'generated', seed: 1, trainSize: 1024, testSize: 64 },
  batchSize: 64,
  schedule: { unit: 'steps', steps: 3000 },
  checkpointEverySteps: 25,
  metricsEverySteps: 5,
  // Drawn by the worker's evaluation jobs from each checkpoint.
  evaluations: ['filters', 'reconstructions'],
};

/** Three quick runs differing in learning rate. */
const SWEEP_SPEC = {
  name: 'dashboard test sweep',
  base: {
    model: { family: 'shallow-ae', channels: 8, kernelSize: 7, stride: 16 },
    dataset: { kind: 'generated', seed: 2, trainSize: 256, testSize: 32 },
    batchSize: 16,
    schedule: { unit: 'steps', steps: 30 },
    checkpointEverySteps: 30,
    metricsEverySteps: 5,
  },
  parameters: { 'optimizer.learningRate': [0.0003, 0.003, 0.03] },
};

let browser: Browser;
let fleet: DashboardFleet;
let page: Page;
let uiRunId: string;
let sweepId: string;
let sweepRunIds: string[];

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

async function readPoints(chart: string): Promise<number> {
  const value = await page.locator(`[data-chart="${chart}"]`).getAttribute('data-points');
  return Number(value ?? 0);
}

async function apiGet<Body>(path: string): Promise<Body> {
  const response = await fetch(`${fleet.baseUrl}${path}`);
  const body = await response.text();
  assert.equal(response.status, 200, `${path}: ${body}`);
  return JSON.parse(body) as Body;
}

async function waitFor<Value>(
  read: () => Promise<Value>,
  isDone: (value: Value) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<Value> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (isDone(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((done) => setTimeout(done, 250));
  }
}

// Counted as a failure of its own: a machine without Chromium fails here
// with the command that installs it, instead of skipping.
test('Chromium is installed for the browser tests', () => {
  assert.ok(existsSync(CHROMIUM_PATH), MISSING_CHROMIUM_MESSAGE);
});

describe('the dashboard in Chromium', () => {
  before(async () => {
    // Chromium first: without it the test fails at once, saying how to install it.
    browser = await launchChromium();
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    buildDashboard();
    fleet = await startDashboardFleet();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (error) => console.error('page error:', error.message));

    const response = await fetch(`${fleet.baseUrl}/v1/sweeps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(SWEEP_SPEC),
    });
    const body = await response.text();
    assert.equal(response.status, 201, body);
    const sweep = JSON.parse(body) as { id: string; runIds: string[] };
    sweepId = sweep.id;
    sweepRunIds = sweep.runIds;
  });

  after(async () => {
    await browser?.close();
    if (!fleet) return;
    const { db } = fleet.api.services;
    const runIds = [uiRunId, ...(sweepRunIds ?? [])].filter(Boolean);
    await db.run.deleteMany({ where: { id: { in: runIds } } });
    if (sweepId) await db.sweep.deleteMany({ where: { id: sweepId } });
    await fleet.close();
  });

  test('the overview shows queues and the live worker', async () => {
    await page.goto(`${fleet.baseUrl}/`);

    await page.locator('tr[data-queue="hourglass-training"]').waitFor();
    await page.locator('tr[data-queue="hourglass-evaluation"]').waitFor();
    await page.getByRole('cell', { name: `dashboard-test-${process.pid}` }).waitFor({
      timeout: 30_000,
    });
    await screenshot('overview');
  });

  test('a run submitted from the page trains, its curve growing through the stream', async () => {
    await page.locator('#run-spec').fill(JSON.stringify(UI_RUN_SPEC, null, 2));
    await page.getByRole('button', { name: 'Submit run' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    uiRunId = page.url().split('/').at(-1)!;

    await page.locator('[data-chart="loss/total"]').waitFor({ timeout: 60_000 });
    const first = await waitFor(() => readPoints('loss/total'), (n) => n > 0, 'first points');
    const later = await waitFor(
      () => readPoints('loss/total'),
      (n) => n > first,
      'the loss curve growing',
      30_000,
    );
    assert.ok(later > first);
    // The page was loaded once: new points can only have come through the stream.
    assert.equal(await page.locator('.live').textContent(), '● live');
    for (const chart of ['learning_rate', 'images_per_second']) {
      assert.ok((await readPoints(chart)) > 0, `${chart} is charted`);
    }
  });

  test('evaluation results and images of checkpoints appear as they are stored', async () => {
    // The worker draws filter grids and reconstructions itself; probe, RSA
    // and neural-fit rows need neural data, so they are stored here as an
    // evaluation job would store them.
    const { db } = fleet.api.services;
    const checkpoints = await waitFor(
      () => listCheckpoints(db, uiRunId),
      (rows) => rows.length >= 2,
      'two checkpoints',
    );
    for (const checkpoint of checkpoints.slice(0, 2)) {
      await writeEvaluationScores(db, {
        runId: uiRunId,
        checkpointId: checkpoint.id,
        step: checkpoint.step,
      });
    }

    const probe = page.locator('[data-chart="Linear probe, held-out top-1"]');
    await probe.waitFor({ timeout: 10_000 });
    // The page may refresh between the two checkpoints' writes, showing the
    // first one's points before the second's arrive.
    const points = await waitFor(
      () => probe.getAttribute('data-points'),
      (count) => count === '4',
      'two layers at two checkpoints',
      10_000,
    );
    assert.equal(points, '4');
    await page.locator('[data-chart="RSA, Spearman r · area V4 · image"]').waitFor();
    for (const kind of ['filters', 'reconstructions']) {
      const images = page.locator(`img[data-artifact-kind="${kind}"]`);
      await images.first().waitFor({ timeout: 90_000 });
      await images.first().scrollIntoViewIfNeeded();
      await waitFor(
        () => images.evaluateAll((nodes) => nodes.map((n) => (n as HTMLImageElement).naturalWidth)),
        (widths) => widths.length > 0 && widths.every((width) => width > 0),
        `the ${kind} images loading`,
        10_000,
      );
    }
    await page.locator('[data-chart="Filters, median Gabor score"]').waitFor();
    await screenshot('run');
  });

  test('cancel stops the run and retry queues it again', async () => {
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('h1 .status-cancelled').waitFor({ timeout: 15_000 });
    const attempts = Number(await page.locator('[data-run-attempts]').textContent());

    // The worker may still hold the job for a moment; the API then answers 409.
    await waitFor(
      async () => {
        await page.getByRole('button', { name: 'Retry' }).click();
        await page.waitForTimeout(1_000);
        return page.locator('h1 .status').textContent();
      },
      (status) => status !== 'cancelled',
      'the retried run leaving cancelled',
      30_000,
    );
    await waitFor(
      async () => Number(await page.locator('[data-run-attempts]').textContent()),
      (value) => value === attempts + 1,
      'a second attempt starting',
    );
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('h1 .status-cancelled').waitFor({ timeout: 15_000 });
  });

  test('the sweep pages list the sweep, rank its runs and plot them', async () => {
    await waitFor(
      () => apiGet<{ status: string }>(`/v1/sweeps/${sweepId}`),
      (sweep) => sweep.status === 'finished',
      'the sweep finishing',
      120_000,
    );
    await page.goto(`${fleet.baseUrl}/sweeps`);
    // Other sweeps in the database may share the name; the id is ours.
    const link = page.locator(`a[href="/sweeps/${sweepId}"]`);
    await link.waitFor();
    await screenshot('sweeps');
    await link.click();
    await page.waitForURL(`**/sweeps/${sweepId}`);

    const rows = page.locator('table.leaderboard tbody tr');
    await waitFor(() => rows.count(), (n) => n === 3, 'three leaderboard rows');
    assert.equal(await page.locator('[data-count="succeeded"] dd').textContent(), '3');
    const scatter = page.locator('[data-chart="loss/total by optimizer.learningRate"]');
    assert.equal(await scatter.getAttribute('data-points'), '3');

    // Sorted by value, twice: best first, then worst first.
    await page.locator('button[data-sort="value"]').click();
    const ascending = await rows.evaluateAll((nodes) => nodes.map((n) => n.dataset.runId));
    await page.locator('button[data-sort="value"]').click();
    const descending = await rows.evaluateAll((nodes) => nodes.map((n) => n.dataset.runId));
    assert.deepEqual(descending, [...ascending].reverse());
    await screenshot('sweep');
  });

  test('the compare page overlays runs\' curves and tabulates their results', async () => {
    const chosen = [uiRunId, sweepRunIds[0]!];
    await page.goto(`${fleet.baseUrl}/compare?runs=${chosen.join(',')}`);

    const loss = page.locator('[data-chart="loss/total"]');
    await loss.waitFor();
    await waitFor(() => page.locator('table.compare-table thead th').count(), (n) => n === 3,
      'a column per run');
    await page.locator('tr[data-score="linear-probe · conv1"]').waitFor();

    // A third run ticked in the picker joins the table and the URL.
    await page.locator(`label[data-run-id="${sweepRunIds[1]}"] input`).check();
    await page.waitForURL(new RegExp(sweepRunIds[1]!));
    await waitFor(() => page.locator('table.compare-table thead th').count(), (n) => n === 4,
      'a column for the third run');
    await screenshot('compare');
  });
});
