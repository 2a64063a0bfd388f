import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  createRun,
  recordCheckpoint,
  recordEvaluationFailure,
  recordEvaluationResults,
  replaceArtifacts,
} from '@hourglass/db';
import { RunSpec } from '@hourglass/specs';

import { openTestApi, type TestApi } from './support.ts';

interface EvaluationsBody {
  runId: string;
  evaluations: {
    step: number;
    kind: string;
    layer: string;
    area: string;
    method: string;
    status: string;
    score: number | null;
    details: unknown;
    error: string | null;
  }[];
}

interface ArtifactsBody {
  artifacts: { id: string; kind: string; step: number; mediaType: string; url: string }[];
}

const PNG_BYTES = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

let api: TestApi;
let artifactDir: string;
let runId: string;

before(async () => {
  artifactDir = await mkdtemp(join(tmpdir(), 'hourglass-artifacts-'));
  api = await openTestApi({ artifactDir });
  const run = await createRun(api.db, { spec: RunSpec.parse({ model: { family: 'shallow-ae' } }) });
  api.track(run.id);
  runId = run.id;

  for (const step of [0, 100]) {
    const checkpoint = await recordCheckpoint(api.db, {
      runId,
      step,
      location: `runs/${runId}/checkpoints/step-${step}.ckpt`,
      sizeBytes: 10,
      sha256: 'a'.repeat(64),
    });
    const target = { runId, checkpointId: checkpoint.id, step };
    await recordEvaluationResults(api.db, target, 'linear-probe', [
      { layer: 'conv1', score: 0.2 + step / 1000, details: { top5: 0.6 } },
      { layer: 'conv2', score: 0.3 + step / 1000 },
    ]);
    await recordEvaluationResults(api.db, target, 'rsa', [
      { layer: 'conv1', area: 'IT', method: 'image', score: 0.05 },
      { layer: 'conv1', area: 'category', method: 'image', score: 0.4 },
    ]);
    await recordEvaluationFailure(api.db, target, 'neural-fit', 'missing.h5: file not found');
  }

  const location = `runs/${runId}/evaluations/step-100-filters.png`;
  await mkdir(join(artifactDir, 'runs', runId, 'evaluations'), { recursive: true });
  await writeFile(join(artifactDir, location), PNG_BYTES);
  await replaceArtifacts(api.db, { runId, step: 100 }, [
    { kind: 'filters', location, mediaType: 'image/png', sizeBytes: 11, sha256: 'x' },
    {
      kind: 'reconstructions',
      location: `runs/${runId}/evaluations/gone.png`,
      mediaType: 'image/png',
      sizeBytes: 5,
      sha256: 'y',
    },
  ]);
});

after(async () => {
  await api.close();
  await rm(artifactDir, { recursive: true, force: true });
});

async function getEvaluations(query = ''): Promise<EvaluationsBody> {
  const response = await api.app.inject({
    method: 'GET',
    url: `/v1/runs/${runId}/evaluations${query}`,
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<EvaluationsBody>();
}

describe('GET /v1/runs/:id/evaluations', () => {
  test('returns every row in step order with its score and details', async () => {
    const body = await getEvaluations();

    assert.equal(body.evaluations.length, 10);
    assert.deepEqual(
      body.evaluations.slice(0, 5).map((row) => [row.step, row.kind, row.layer, row.area]),
      [
        [0, 'linear-probe', 'conv1', ''],
        [0, 'linear-probe', 'conv2', ''],
        [0, 'neural-fit', '', ''],
        [0, 'rsa', 'conv1', 'IT'],
        [0, 'rsa', 'conv1', 'category'],
      ],
    );
    const probe = body.evaluations.find((row) => row.step === 100 && row.layer === 'conv1');
    assert.ok(Math.abs(probe!.score! - 0.3) < 1e-12);
    assert.deepEqual(probe?.details, { top5: 0.6 });
  });

  test('filters by kind and layer, by area and method, and by step and status', async () => {
    const probe = await getEvaluations('?kind=linear-probe&layer=conv2');
    assert.deepEqual(
      probe.evaluations.map((row) => [row.step, row.score]),
      [
        [0, 0.3],
        [100, 0.4],
      ],
    );

    const it = await getEvaluations('?kind=rsa&area=IT&method=image&step=100');
    assert.equal(it.evaluations.length, 1);
    assert.equal(it.evaluations[0]!.score, 0.05);

    const failed = await getEvaluations('?status=failed');
    assert.deepEqual(
      failed.evaluations.map((row) => [row.kind, row.error]),
      [
        ['neural-fit', 'missing.h5: file not found'],
        ['neural-fit', 'missing.h5: file not found'],
      ],
    );
  });

  test('a bad filter is a 400 naming the field; an unknown run is a 404', async () => {
    const bad = await api.app.inject({
      method: 'GET',
      url: `/v1/runs/${runId}/evaluations?step=-3&status=done`,
    });
    assert.equal(bad.statusCode, 400);
    const paths = bad.json<{ error: { issues: { path: string }[] } }>().error.issues.map(
      (issue) => issue.path,
    );
    assert.deepEqual(paths.sort(), ['status', 'step']);

    const missing = await api.app.inject({
      method: 'GET',
      url: '/v1/runs/00000000-0000-4000-8000-000000000000/evaluations',
    });
    assert.equal(missing.statusCode, 404);
  });
});

describe('artifacts', () => {
  test('lists a run\'s artifacts and serves their bytes with their media type', async () => {
    const listed = await api.app.inject({ method: 'GET', url: `/v1/runs/${runId}/artifacts` });
    assert.equal(listed.statusCode, 200);
    const { artifacts } = listed.json<ArtifactsBody>();
    assert.deepEqual(
      artifacts.map((artifact) => [artifact.kind, artifact.step]),
      [
        ['filters', 100],
        ['reconstructions', 100],
      ],
    );

    const content = await api.app.inject({ method: 'GET', url: artifacts[0]!.url });
    assert.equal(content.statusCode, 200);
    assert.equal(content.headers['content-type'], 'image/png');
    assert.deepEqual(content.rawPayload, PNG_BYTES);

    const filtered = await api.app.inject({
      method: 'GET',
      url: `/v1/runs/${runId}/artifacts?kind=reconstructions`,
    });
    assert.equal(filtered.json<ArtifactsBody>().artifacts.length, 1);
  });

  test('an artifact whose file is gone is a 404 naming the file', async () => {
    const url = `/v1/runs/${runId}/artifacts?kind=reconstructions`;
    const { artifacts } = (await api.app.inject({ method: 'GET', url })).json<ArtifactsBody>();

    const response = await api.app.inject({ method: 'GET', url: artifacts[0]!.url });

    assert.equal(response.statusCode, 404);
    assert.match(response.body, /gone\.png/);
  });
});
