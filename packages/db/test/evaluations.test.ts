import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  createDatabase,
  getArtifact,
  listArtifacts,
  listEvaluations,
  markEvaluationRunning,
  markEvaluationsPending,
  recordCheckpoint,
  recordEvaluationFailure,
  recordEvaluationResults,
  replaceArtifacts,
  type Database,
  type EvaluationTarget,
} from '../src/index.ts';
import { CreatedRuns } from './support.ts';

let db: Database;
let created: CreatedRuns;

before(() => {
  db = createDatabase();
  created = new CreatedRuns(db);
});

after(async () => {
  await created.deleteAll();
  await db.$disconnect();
});

async function createTarget(step = 100): Promise<EvaluationTarget> {
  const run = await created.create();
  const checkpoint = await recordCheckpoint(db, {
    runId: run.id,
    step,
    location: `runs/${run.id}/checkpoints/step-${step}.ckpt`,
    sizeBytes: 10,
    sha256: 'abc',
  });
  return { runId: run.id, checkpointId: checkpoint.id, step };
}

describe('evaluation rows', () => {
  test('pending placeholders are replaced by the results, once', async () => {
    const target = await createTarget();
    await markEvaluationsPending(db, target, ['linear-probe', 'rsa']);
    await markEvaluationsPending(db, target, ['linear-probe', 'rsa']);
    assert.deepEqual(
      (await listEvaluations(db, target.runId)).map((row) => [row.kind, row.status]),
      [
        ['linear-probe', 'pending'],
        ['rsa', 'pending'],
      ],
    );

    await markEvaluationRunning(db, target, 'linear-probe');
    const written = await recordEvaluationResults(db, target, 'linear-probe', [
      { layer: 'conv1', score: 0.61, details: { top5: 0.9 } },
      { layer: 'conv2', score: 0.72 },
    ]);

    assert.equal(written, 2);
    const probe = await listEvaluations(db, target.runId, { kind: 'linear-probe' });
    assert.deepEqual(
      probe.map((row) => [row.layer, row.status, row.score]),
      [
        ['conv1', 'succeeded', 0.61],
        ['conv2', 'succeeded', 0.72],
      ],
    );
    assert.deepEqual(probe[0]!.details, { top5: 0.9 });
    assert.equal(probe[0]!.checkpointId, target.checkpointId);
    const rsa = await listEvaluations(db, target.runId, { kind: 'rsa' });
    assert.equal(rsa[0]!.status, 'pending');
  });

  test('a second try replaces the first try results instead of adding to them', async () => {
    const target = await createTarget();
    await recordEvaluationResults(db, target, 'neural-fit', [
      { layer: 'conv1', area: 'IT', method: 'ridge', score: 0.3 },
      { layer: 'conv1', area: 'IT', method: 'pls', score: 0.2 },
      { layer: 'conv1', area: 'V4', method: 'ridge', score: 0.1 },
    ]);
    await recordEvaluationResults(db, target, 'neural-fit', [
      { layer: 'conv1', area: 'IT', method: 'ridge', score: 0.35 },
    ]);

    const rows = await listEvaluations(db, target.runId);
    assert.deepEqual(
      rows.map((row) => [row.area, row.method, row.score]),
      [['IT', 'ridge', 0.35]],
    );
  });

  test('a failure leaves one failed row with its error', async () => {
    const target = await createTarget();
    await markEvaluationsPending(db, target, ['neural-fit']);
    await recordEvaluationFailure(db, target, 'neural-fit', 'stimuli.h5: no dataset /images');

    const [row, ...rest] = await listEvaluations(db, target.runId);
    assert.equal(rest.length, 0);
    assert.equal(row!.status, 'failed');
    assert.match(row!.error!, /stimuli\.h5/);
  });

  test('filters by step, layer, area and method; NaN is stored as null', async () => {
    const early = await createTarget(0);
    const run = early.runId;
    const late = { ...early, step: 50 };
    await recordEvaluationResults(db, early, 'rsa', [
      { layer: 'conv1', area: 'IT', method: 'image', score: 0.1 },
      { layer: 'conv2', area: 'IT', method: 'object', score: Number.NaN },
    ]);
    await recordEvaluationResults(db, late, 'rsa', [
      { layer: 'conv1', area: 'V4', method: 'image', score: 0.2 },
    ]);

    assert.equal((await listEvaluations(db, run, { step: 50 })).length, 1);
    assert.equal((await listEvaluations(db, run, { layer: 'conv2' }))[0]!.score, null);
    assert.equal((await listEvaluations(db, run, { area: 'IT', method: 'image' })).length, 1);
    assert.equal((await listEvaluations(db, run, { status: 'failed' })).length, 0);
  });
});

describe('artifacts', () => {
  test('replacing an evaluation artifacts keeps other kinds and steps', async () => {
    const target = await createTarget();
    const file = (kind: string, name: string) => ({
      kind,
      location: `runs/${target.runId}/evaluations/${name}`,
      mediaType: 'image/png',
      sizeBytes: 100,
      sha256: name,
    });
    await replaceArtifacts(db, target, [file('filters', 'a.png')]);
    await replaceArtifacts(db, target, [
      file('reconstructions', 'b.png'),
      file('prior-samples', 'c.png'),
    ]);
    const [again] = await replaceArtifacts(db, target, [file('filters', 'd.png')]);

    const rows = await listArtifacts(db, target.runId);
    assert.deepEqual(
      rows.map((row) => [row.kind, row.sha256]),
      [
        ['filters', 'd.png'],
        ['prior-samples', 'c.png'],
        ['reconstructions', 'b.png'],
      ],
    );
    assert.equal((await getArtifact(db, again!.id)).sizeBytes, 100n);
    assert.equal((await listArtifacts(db, target.runId, { kind: 'filters' })).length, 1);
  });

  test('an unknown artifact id is a not-found error', async () => {
    await assert.rejects(
      getArtifact(db, '00000000-0000-4000-8000-000000000000'),
      /artifact/,
    );
  });
});
