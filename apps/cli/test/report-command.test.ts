import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  completeRun,
  recordCheckpoint,
  recordEvaluationFailure,
  recordEvaluationResults,
  recordMetrics,
  replaceArtifacts,
  startRun,
} from '@hourglass/db';
import { escapeHtml } from '@hourglass/report';
import sharp from 'sharp';

import { openTestApi, type TestApi } from '../../api/test/support.ts';
import { ApiClient } from '../src/api-client.ts';
import { makeReport } from '../src/report-command.ts';

const SWEEP_NAME = '<i>AE</i> & "co"';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** What the test stored for one run, to compare the report with. */
interface StoredRun {
  id: string;
  label: string;
  probe: { conv1: number; hidden: number };
  rsa: number;
  neuralFit: number;
  gabor: number;
  lastLoss: number;
  filters: Buffer;
}

let api: TestApi;
let artifactDir: string;
let outDir: string;
let client: ApiClient;
let sweepId: string;
const stored: StoredRun[] = [];

async function makeFilterGrid(seed: number): Promise<Buffer> {
  const pixels = Buffer.alloc(24 * 24 * 3, 0);
  for (let index = 0; index < pixels.length; index += 1) pixels[index] = (index * seed) % 251;
  return sharp(pixels, { raw: { width: 24, height: 24, channels: 3 } }).png().toBuffer();
}

async function storeResults(runId: string, index: number, name: string): Promise<StoredRun> {
  const start = { workerId: 'test', backend: 'cpu', device: 'cpu', totalSteps: 100 };
  await startRun(api.db, runId, start);
  await completeRun(api.db, runId, 100);

  const lastLoss = 0.123456 + index;
  await recordMetrics(
    api.db,
    runId,
    [0, 50, 100].flatMap((step) => [
      { name: 'loss/total', step, value: step === 100 ? lastLoss : 1 + index },
      { name: 'loss/reconstruction', step, value: 0.5 },
    ]),
  );

  const probe = { conv1: 0.2344 + index / 10, hidden: 0.5678 + index / 10 };
  const rsa = 0.0412 + index / 100;
  const neuralFit = 0.3337 - index / 100;
  const gabor = 0.7121 + index / 100;
  let finalCheckpointId = '';
  for (const step of [50, 100]) {
    const checkpoint = await recordCheckpoint(api.db, {
      runId,
      step,
      location: `runs/${runId}/checkpoints/step-${step}.ckpt`,
      sizeBytes: 10,
      sha256: 'a'.repeat(64),
    });
    const target = { runId, checkpointId: checkpoint.id, step };
    finalCheckpointId = checkpoint.id;
    // At step 50 every score is 0, so a report that read the wrong step shows it.
    const at = (score: number) => (step === 100 ? score : 0);
    await recordEvaluationResults(api.db, target, 'linear-probe', [
      { layer: 'conv1', score: at(probe.conv1), details: { top5: 0.9 } },
      { layer: 'hidden', score: at(probe.hidden) },
    ]);
    await recordEvaluationResults(api.db, target, 'rsa', [
      { layer: 'hidden', area: 'IT', method: 'image', score: at(rsa), details: { ceiling: 0.5 } },
    ]);
    await recordEvaluationResults(api.db, target, 'neural-fit', [
      {
        layer: 'hidden',
        area: 'V4',
        method: 'ridge',
        score: at(neuralFit),
        details: { perSite: [0.1, 0.2] },
      },
    ]);
    await recordEvaluationResults(api.db, target, 'filters', [
      { layer: 'conv1', score: at(gabor) },
    ]);
  }
  await recordEvaluationFailure(
    api.db,
    { runId, checkpointId: finalCheckpointId, step: 100 },
    'reconstructions',
    'decoder <exploded> & stopped',
  );

  const filters = await makeFilterGrid(index + 3);
  const location = `runs/${runId}/evaluations/step-100-filters.png`;
  await mkdir(join(artifactDir, 'runs', runId, 'evaluations'), { recursive: true });
  await writeFile(join(artifactDir, location), filters);
  await replaceArtifacts(api.db, { runId, step: 100 }, [
    { kind: 'filters', location, mediaType: 'image/png', sizeBytes: filters.length, sha256: 'x' },
  ]);

  const label = escapeHtml(`${name} (${runId.slice(0, 8)})`);
  return { id: runId, label, probe, rsa, neuralFit, gabor, lastLoss, filters };
}

before(async () => {
  artifactDir = await mkdtemp(join(tmpdir(), 'hourglass-report-artifacts-'));
  outDir = await mkdtemp(join(tmpdir(), 'hourglass-report-out-'));
  api = await openTestApi({ artifactDir });
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = api.app.server.address() as AddressInfo;
  client = new ApiClient(`http://127.0.0.1:${port}`);

  const response = await api.app.inject({
    method: 'POST',
    url: '/v1/sweeps',
    payload: {
      name: SWEEP_NAME,
      base: {
        model: { family: 'shallow-ae' },
        dataset: { kind: 'generated', seed: 0, trainSize: 64, testSize: 16 },
        schedule: { unit: 'steps', steps: 100 },
      },
      parameters: { 'model.activation': ['relu', 'sigmoid'] },
    },
  });
  assert.equal(response.statusCode, 201, response.body);
  const sweep = response.json<{ id: string; runIds: string[] }>();
  sweepId = sweep.id;
  sweep.runIds.forEach((runId) => api.track(runId));

  const runs = await api.db.run.findMany({ where: { sweepId }, orderBy: { sweepIndex: 'asc' } });
  for (const [index, run] of runs.entries()) {
    stored.push(await storeResults(run.id, index, run.name!));
  }
});

after(async () => {
  await api.db.sweep.deleteMany({ where: { id: sweepId } });
  await api.close();
  await rm(artifactDir, { recursive: true, force: true });
  await rm(outDir, { recursive: true, force: true });
});

/** The cells of each body row of the table named `name`, as HTML text. */
function readTable(html: string, name: string): string[][] {
  const start = html.indexOf(`<table data-table="${escapeHtml(name)}">`);
  assert.ok(start >= 0, `the report has no table ${name}`);
  const table = html.slice(start, html.indexOf('</table>', start));
  const body = table.slice(table.indexOf('<tbody>'));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
    [...row[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((cell) => cell[1]!),
  );
}

describe('hourglass report', () => {
  let html: string;
  let figurePaths: string[];

  before(async () => {
    // One of the sweep's runs, then the sweep: the run is shown once, with its parameters.
    const written = await makeReport(client, [stored[0]!.id, sweepId], {
      outDir,
      now: new Date('2026-01-02T03:04:05Z'),
    });
    assert.equal(written.htmlPath, join(outDir, 'report.html'));
    html = await readFile(written.htmlPath, 'utf8');
    figurePaths = written.figurePaths;
  });

  test('the tables hold each run\'s scores at its final checkpoint, to three decimals', () => {
    assert.deepEqual(
      readTable(html, 'linear-probe'),
      stored.flatMap((run) => [
        [run.label, 'conv1', run.probe.conv1.toFixed(3), '0.900'],
        [run.label, 'hidden', run.probe.hidden.toFixed(3), '–'],
      ]),
    );
    assert.deepEqual(
      readTable(html, 'rsa:image'),
      stored.map((run) => [run.label, 'hidden', 'IT', run.rsa.toFixed(3), '0.500']),
    );
    assert.deepEqual(
      readTable(html, 'neural-fit:ridge'),
      stored.map((run) => [run.label, 'hidden', 'V4', run.neuralFit.toFixed(3), '2']),
    );
    for (const run of stored) {
      assert.deepEqual(readTable(html, `filters:${run.id}`), [
        ['conv1', '100', run.gabor.toFixed(3)],
      ]);
    }
    const final = readTable(html, 'final-results');
    assert.equal(final.length, stored.length * 5);
    assert.ok(final.every((cells) => cells[1] === '100'), 'every result is from step 100');
  });

  test('the runs table and the curves table describe each run once', () => {
    const runs = readTable(html, 'runs');
    assert.deepEqual(
      runs.map((cells) => [cells[0], cells[1], cells[2], cells[3], cells[4]]),
      stored.map((run) => [run.label, run.id, 'shallow-ae', 'succeeded', '100 / 100']),
    );
    assert.deepEqual(
      runs.map((cells) => cells[9]),
      ['model.activation=relu', 'model.activation=sigmoid'],
    );
    assert.match(runs[0]![10]!, /activation=relu/);

    assert.deepEqual(
      readTable(html, 'curve:loss/total').map((cells) => [cells[0], cells[1], cells[2]]),
      stored.map((run) => [run.label, '100', String(Number(run.lastLoss.toPrecision(4)))]),
    );
  });

  test('every figure is a valid PNG beside the page and embedded in it', async () => {
    assert.ok(figurePaths.length >= 6, figurePaths.join());
    for (const path of figurePaths) {
      const bytes = await readFile(path);
      assert.ok(bytes.length > 0, path);
      assert.deepEqual(bytes.subarray(0, 8), PNG_SIGNATURE, path);
      const metadata = await sharp(bytes).metadata();
      assert.equal(metadata.format, 'png');
      assert.ok(metadata.width! > 0 && metadata.height! > 0, path);
      assert.ok(html.includes(`data:image/png;base64,${bytes.toString('base64')}`), path);
    }
  });

  test('each run\'s filter grid is embedded as stored and written beside the page', async () => {
    for (const run of stored) {
      assert.ok(html.includes(run.filters.toString('base64')), `filters of ${run.id}`);
      const path = figurePaths.find((file) => file.endsWith(`filters-${run.id.slice(0, 8)}.png`));
      assert.ok(path, `a filters file for ${run.id}`);
      assert.deepEqual(await readFile(path), run.filters);
    }
  });

  test('HTML special characters in run names and errors are escaped', () => {
    assert.ok(!html.includes('<i>AE</i>'));
    assert.ok(html.includes('&lt;i&gt;AE&lt;/i&gt; &amp; &quot;co&quot;'));
    assert.deepEqual(
      readTable(html, 'failures').map((cells) => [cells[2], cells[6]]),
      stored.map(() => ['reconstructions', 'decoder &lt;exploded&gt; &amp; stopped']),
    );
  });
});

describe('hourglass report with an unknown id', () => {
  test('fails naming the id, whether or not it looks like one', async () => {
    const unknown = randomUUID();
    await assert.rejects(makeReport(client, [sweepId, unknown], { outDir }), {
      code: 'HG_NOT_FOUND',
      message: `no sweep or run has the id "${unknown}"`,
    });
    await assert.rejects(makeReport(client, ['not-an-id'], { outDir }), {
      message: 'no sweep or run has the id "not-an-id"',
    });
  });
});
