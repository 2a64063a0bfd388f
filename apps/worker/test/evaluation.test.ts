import assert from 'node:assert/strict';
import { truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { enqueueCheckpointEvaluation } from '@hourglass/queue';

import { isFinished, smallRun, startFleet, type Fleet } from './harness.ts';
import { writeNeuralFolder, type NeuralFixture } from './neural-fixture.ts';

interface EvaluationRow {
  step: number;
  kind: string;
  layer: string;
  area: string;
  method: string;
  status: string;
  score: number | null;
  details: Record<string, unknown> | null;
  error: string | null;
}

interface ArtifactRow {
  kind: string;
  step: number;
  mediaType: string;
  url: string;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

let fleet: Fleet;
let stimuli: NeuralFixture;

before(async () => {
  fleet = await startFleet();
  stimuli = await writeNeuralFolder(join(fleet.artifactDir, 'stimuli-set'));
});

after(async () => {
  await fleet.close();
});

async function listEvaluations(runId: string, query = ''): Promise<EvaluationRow[]> {
  const response = await fleet.api.app.inject({ url: `/v1/runs/${runId}/evaluations${query}` });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<{ evaluations: EvaluationRow[] }>().evaluations;
}

/** Waits until every evaluation row of the run has finished, one way or the other. */
async function waitForEvaluations(runId: string, steps: number[], timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await listEvaluations(runId);
    const isSettled = rows.every((row) => row.status === 'succeeded' || row.status === 'failed');
    const stepsSeen = [...new Set(rows.map((row) => row.step))];
    if (isSettled && steps.every((step) => stepsSeen.includes(step))) return rows;
    if (Date.now() > deadline) {
      const states = rows.map((row) => `${row.step}/${row.kind}:${row.status}`).join(' ');
      throw new Error(`evaluations of ${runId} not settled: ${states}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const PROBE_SETTINGS = {
  featureDimensions: 256,
  probe: { trainImages: 256, testImages: 64, epochs: 10 },
  rsaImages: 64,
  reconstructionImages: 8,
};

describe('checkpoint evaluations', () => {
  test('every scheduled checkpoint, step 0 included, gets rows and images', async () => {
    const { id } = await fleet.submit(
      smallRun({
        schedule: { unit: 'steps', steps: 20 },
        checkpointEverySteps: 10,
        evaluations: ['linear-probe', 'rsa', 'filters', 'reconstructions'],
        evaluation: PROBE_SETTINGS,
      }),
    );
    const run = await fleet.waitForRun(id, isFinished);
    assert.equal(run.status, 'succeeded', String(run.error));

    const rows = await waitForEvaluations(id, [0, 10, 20]);

    assert.deepEqual(rows.filter((row) => row.status !== 'succeeded'), []);
    for (const step of [0, 10, 20]) {
      const atStep = rows.filter((row) => row.step === step);
      const probe = atStep.filter((row) => row.kind === 'linear-probe');
      assert.ok(probe.length >= 1, `probe rows at step ${step}`);
      for (const row of probe) {
        // Ten generated classes: features of any network beat chance here.
        assert.ok(row.score! > 0.2 && row.score! <= 1, `probe ${row.layer}: ${row.score}`);
        assert.equal(row.details?.testImages, 64);
      }
      const rsa = atStep.filter((row) => row.kind === 'rsa');
      assert.deepEqual([...new Set(rsa.map((row) => row.area))], ['category']);
      const [filters] = atStep.filter((row) => row.kind === 'filters');
      assert.equal((filters!.details!.gaborScores as number[]).length, 16);
      assert.ok(filters!.score! > 0 && filters!.score! <= 1);
    }
    const [before] = rows.filter((row) => row.kind === 'reconstructions' && row.step === 0);
    const [trained] = rows.filter((row) => row.kind === 'reconstructions' && row.step === 20);
    assert.ok(trained!.score! < before!.score!, 'training lowers the reconstruction error');

    const response = await fleet.api.app.inject({ url: `/v1/runs/${id}/artifacts?step=20` });
    const artifacts = response.json<{ artifacts: ArtifactRow[] }>().artifacts;
    assert.deepEqual(artifacts.map((artifact) => artifact.kind), ['filters', 'reconstructions']);
    for (const artifact of artifacts) {
      const content = await fleet.api.app.inject({ url: artifact.url });
      assert.equal(content.statusCode, 200);
      assert.deepEqual([...content.rawPayload.subarray(0, 4)], PNG_SIGNATURE);
    }
  });

  test('a stimulus set gives RSA, neural fits and task rows per layer and area', async () => {
    const { id } = await fleet.submit(
      smallRun({
        imageSize: 16,
        model: { family: 'shallow-ae', channels: 8, kernelSize: 5, stride: 4 },
        schedule: { unit: 'steps', steps: 10 },
        checkpointEverySteps: 10,
        evaluations: ['rsa', 'neural-fit', 'task-generalization'],
        evaluation: {
          ...PROBE_SETTINGS,
          neuralData: { format: 'folder', path: stimuli.path },
          neuralFit: { folds: 3, plsComponents: 4, reliabilityThreshold: 0.3 },
        },
      }),
    );
    await fleet.waitForRun(id, isFinished);

    const rows = await waitForEvaluations(id, [0, 10]);

    const failed = rows.filter((row) => row.status !== 'succeeded');
    assert.deepEqual(failed.map((row) => row.error), []);
    const final = rows.filter((row) => row.step === 10);
    const fits = final.filter((row) => row.kind === 'neural-fit');
    const layers = [...new Set(fits.map((row) => row.layer))];
    assert.ok(layers.length >= 1);
    assert.equal(fits.length, layers.length * stimuli.areas.length * 2);
    for (const fit of fits) {
      assert.equal((fit.details!.perSite as unknown[]).length, 8);
      assert.ok(Number.isFinite(fit.score), `${fit.layer}/${fit.area}/${fit.method}`);
    }
    const rsa = final.filter(
      (row) => row.kind === 'rsa' && row.area === 'IT' && row.layer === layers[0],
    );
    assert.deepEqual(rsa.map((row) => row.method).sort(), ['image', 'object']);
    assert.ok((rsa[0]!.details!.ceiling as number) > 0.5, 'reliable synthetic responses');
    const reference = final.filter(
      (row) => row.kind === 'task-generalization' && row.layer === '',
    );
    const referenceCategory = reference.find(
      (row) => row.area === 'IT' && row.method === 'category',
    );
    // The areas read the pixels linearly, so category is decodable far above 1/3.
    assert.ok(referenceCategory!.score! > 0.6, `IT category: ${referenceCategory!.score}`);
    const tasks = final.filter((row) => row.kind === 'task-generalization' && row.layer !== '');
    assert.deepEqual(
      [...new Set(tasks.map((row) => row.method))].sort(),
      ['category', 'object', 'row', 'size'],
    );
  });

  test('a stimulus file that is not there fails its rows with the file named, once', async () => {
    const missing = join(fleet.artifactDir, 'no-such-set.h5');
    const { id } = await fleet.submit(
      smallRun({
        schedule: { unit: 'steps', steps: 10 },
        checkpointEverySteps: 10,
        evaluations: ['neural-fit', 'filters'],
        evaluation: { neuralData: { format: 'hvm-hdf5', path: missing } },
      }),
    );
    await fleet.waitForRun(id, isFinished);

    const rows = await waitForEvaluations(id, [0, 10]);

    const fits = rows.filter((row) => row.kind === 'neural-fit');
    assert.equal(fits.length, 2);
    for (const row of fits) {
      assert.equal(row.status, 'failed');
      assert.match(row.error!, /no-such-set\.h5/);
    }
    const filters = rows.filter((row) => row.kind === 'filters');
    assert.deepEqual(filters.map((row) => row.status), ['succeeded', 'succeeded']);
    const counts = await fleet.api.services.evaluationQueue.getJobCounts('failed', 'completed');
    assert.equal(counts.failed, 0, 'bad input is recorded, not retried as a failure');
  });

  test('a layer the model does not have fails the feature evaluations by name', async () => {
    const { id } = await fleet.submit(
      smallRun({
        schedule: { unit: 'steps', steps: 10 },
        checkpointEverySteps: 10,
        evaluations: ['linear-probe', 'filters'],
        evaluation: { ...PROBE_SETTINGS, layers: ['encoder/conv9'] },
      }),
    );
    await fleet.waitForRun(id, isFinished);

    const rows = await waitForEvaluations(id, [0, 10]);

    const probe = rows.filter((row) => row.kind === 'linear-probe');
    assert.deepEqual(probe.map((row) => row.status), ['failed', 'failed']);
    assert.match(probe[0]!.error!, /evaluation\.layers: encoder\/conv9 is not an encoding layer/);
    const filters = rows.filter((row) => row.kind === 'filters');
    assert.deepEqual(filters.map((row) => row.status), ['succeeded', 'succeeded']);
  });

  test('a damaged checkpoint fails its evaluations and leaves the run as it was', async () => {
    const { id } = await fleet.submit(
      smallRun({
        schedule: { unit: 'steps', steps: 10 },
        checkpointEverySteps: 10,
        evaluations: ['filters'],
      }),
    );
    await fleet.waitForRun(id, isFinished);
    await waitForEvaluations(id, [0, 10]);
    const { db, evaluationQueue } = fleet.api.services;
    const checkpoint = await db.checkpoint.findFirstOrThrow({ where: { runId: id, step: 10 } });
    await truncate(join(fleet.artifactDir, checkpoint.location), 100);
    await db.evaluation.deleteMany({ where: { runId: id, step: 10 } });
    // Rows are written before the job completes; an active job cannot be removed.
    while ((await evaluationQueue.getJobState(checkpoint.id)) !== 'completed') {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(await evaluationQueue.remove(checkpoint.id), 1);

    await enqueueCheckpointEvaluation(evaluationQueue, { runId: id, checkpointId: checkpoint.id });
    const rows = await waitForEvaluations(id, [10]);

    const [row] = rows.filter((candidate) => candidate.step === 10);
    assert.equal(row!.status, 'failed');
    assert.match(row!.error!, /step-0000010\.ckpt/);
    const run = await fleet.getRun(id);
    assert.equal(run.status, 'succeeded');
  });

  test('a run without evaluations queues none and writes no step-0 checkpoint', async () => {
    const { id } = await fleet.submit(smallRun({ schedule: { unit: 'steps', steps: 10 } }));
    await fleet.waitForRun(id, isFinished);

    const checkpoints = await fleet.api.app.inject({ url: `/v1/runs/${id}/checkpoints` });
    const steps = checkpoints
      .json<{ checkpoints: { step: number }[] }>()
      .checkpoints.map((checkpoint) => checkpoint.step);
    assert.deepEqual(steps, [10]);
    assert.deepEqual(await listEvaluations(id), []);
  });
});
