import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { createSilentLogger } from '@hourglass/common';
import { resolveBackend } from '@hourglass/compute';
import { createGeneratedDataset } from '@hourglass/data';
import { RunSpec, type RunSpecInput } from '@hourglass/specs';
import { trainRun } from '@hourglass/training';
import { PNG } from 'pngjs';

import { evaluateCheckpoint } from './evaluate-checkpoint.ts';
import type { KindResult } from './evaluation-messages.ts';

let scratch: string;

before(async () => {
  await resolveBackend('wasm', createSilentLogger());
  scratch = await mkdtemp(join(tmpdir(), 'hourglass-evaluate-'));
});

after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Trains `model` two steps on 16px generated images and evaluates the last checkpoint. */
async function trainAndEvaluate(name: string, model: RunSpecInput['model']) {
  const spec = RunSpec.parse({
    model,
    imageSize: 16,
    batchSize: 8,
    dataset: { kind: 'generated', seed: 2, trainSize: 32, testSize: 16 },
    schedule: { unit: 'steps', steps: 2 },
    evaluations: ['reconstructions'],
    evaluation: { reconstructionImages: 4 },
  });
  const dataset = createGeneratedDataset({ seed: 2, trainSize: 32, testSize: 16, imageSize: 16 });
  const artifactDir = join(scratch, name);
  const trained = await trainRun({
    runId: name,
    spec,
    dataset,
    checkpointDir: join(artifactDir, 'checkpoints'),
    logger: createSilentLogger(),
  });
  const results: KindResult[] = [];
  await evaluateCheckpoint(
    {
      runId: name,
      spec,
      step: trained.finalStep,
      checkpointPath: trained.lastCheckpoint!.path,
      artifactDir,
      kinds: ['reconstructions'],
      backend: 'wasm',
    },
    {
      onResult: (result) => results.push(result),
      onKindFailed: (kind, failure) => assert.fail(`${kind}: ${failure.message}`),
    },
  );
  const [result] = results;
  const images = await Promise.all(
    result!.artifacts.map(async (artifact) => ({
      kind: artifact.kind,
      png: PNG.sync.read(await readFile(join(artifactDir, artifact.location))),
    })),
  );
  return { result: result!, images };
}

describe('reconstruction grids', () => {
  test('a VAE shows reconstructions and a grid of samples from its prior', async () => {
    const { result, images } = await trainAndEvaluate('vae', {
      family: 'vae',
      channels: [4, 8],
      latentSize: 4,
    });

    assert.deepEqual(images.map((image) => image.kind), ['reconstructions', 'prior-samples']);
    assert.ok(result.rows[0]!.score! > 0, 'a reconstruction error');
    const [reconstructions, samples] = images;
    // Two rows (inputs, outputs) against the samples' one.
    assert.ok(reconstructions!.png.height > samples!.png.height);
  });

  test('colorization shows grey inputs, its colours and the true colours', async () => {
    const { images } = await trainAndEvaluate('colorization', {
      family: 'colorization',
      channels: 4,
    });
    const { png } = images[0]!;
    // Four 16px images at scale 2: 32px cells, with padding around each.
    const padding = (png.width - 4 * 32) / 5;

    assert.deepEqual(images.map((image) => image.kind), ['reconstructions']);
    assert.equal(png.height, 3 * 32 + 4 * padding, 'three rows');
    // The first row is grey: every pixel's channels are equal.
    const y = padding + 16;
    const row = Array.from({ length: png.width }, (_, x) => (y * png.width + x) * 4);
    assert.ok(row.every((at) => png.data[at] === png.data[at + 1]));
    assert.ok(row.every((at) => png.data[at + 1] === png.data[at + 2]));
  });
});
