import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, readdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';

import { DataFormatError } from '@hourglass/common';
import { resolveBackend } from '@hourglass/compute';
import { gatherBatch } from '@hourglass/data';
import { createModel, type VisionModel } from '@hourglass/models';

import type { Checkpoint } from './checkpoint.ts';
import { checkpointFileName, loadCheckpoint, writeCheckpoint } from './checkpoint-file.ts';
import { captureCheckpoint, restoreCheckpoint } from './checkpoint-state.ts';
import { fingerprintSpec } from './spec-fingerprint.ts';
import { createScratchDir, createTinyDataset, createTinySpec } from './test-support.ts';
import { runTrainStep } from './train-step.ts';
import { createTrainingOptimizer, type TrainingOptimizer } from './training-optimizer.ts';

interface Trained {
  model: VisionModel;
  optimizer: TrainingOptimizer;
  checkpoint: Checkpoint;
}

// A model and Adam after three steps, so every optimizer slot exists.
async function trainThreeSteps(): Promise<Trained> {
  const spec = createTinySpec();
  const dataset = createTinyDataset();
  const model = createModel(spec);
  const optimizer = createTrainingOptimizer(spec.optimizer);
  for (let step = 1; step <= 3; step += 1) {
    const batch = gatherBatch(dataset.train, [0, 1, 2, 3].map((i) => i + 4 * step));
    runTrainStep({ model, optimizer }, batch, step);
  }

  const checkpoint = await captureCheckpoint({
    runId: 'run-ckpt',
    step: 3,
    specFingerprint: fingerprintSpec(spec),
    samplerPosition: { epoch: 0, batchInEpoch: 3 },
    model,
    optimizer,
  });
  return { model, optimizer, checkpoint };
}

async function readOptimizerWeights(optimizer: TrainingOptimizer) {
  const named = await optimizer.getWeights();
  const values = await Promise.all(named.map(({ tensor }) => tensor.data()));
  named.filter(({ name }) => name === 'iter').forEach(({ tensor }) => tensor.dispose());
  return values.map((data) => Array.from(data));
}

describe('checkpoint files', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDir>>;
  let trained: Trained;
  let path: string;

  before(async () => {
    await resolveBackend('wasm');
    scratch = await createScratchDir();
    trained = await trainThreeSteps();
    path = (await writeCheckpoint(scratch.path, trained.checkpoint)).path;
  });

  after(async () => {
    trained.model.dispose();
    trained.optimizer.dispose();
    await scratch.remove();
  });

  it('is named by its zero-padded step', () => {
    assert.equal(checkpointFileName(3), 'step-0000003.ckpt');
    assert.equal(path, join(scratch.path, 'step-0000003.ckpt'));
  });

  it('reports the size and sha256 of the file it wrote, and leaves no temp file', async () => {
    const info = await writeCheckpoint(join(scratch.path, 'info'), trained.checkpoint);

    const bytes = await readFile(info.path);
    assert.equal(info.sizeBytes, bytes.length);
    assert.equal(info.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.deepEqual(await readdir(join(scratch.path, 'info')), ['step-0000003.ckpt']);
  });

  it('reads back the weights and optimizer state it was written with', async () => {
    const loaded = await loadCheckpoint(path);

    const { info, ...checkpoint } = loaded;
    assert.deepEqual(checkpoint, trained.checkpoint);
    assert.equal(info.step, 3);
    assert.deepEqual(
      loaded.optimizerWeights.map((weights) => weights.name),
      [
        'iter',
        ...trained.model.variableNames.map((name) => `${name}/m`),
        ...trained.model.variableNames.map((name) => `${name}/v`),
      ],
    );
    assert.deepEqual(loaded.optimizerWeights[0], {
      name: 'iter',
      dtype: 'int32',
      shape: [],
      values: Int32Array.of(3),
    });
  });

  it('restores a fresh model and optimizer to the saved state', async () => {
    const spec = createTinySpec({ seed: 99 });
    const model = createModel(spec);
    const optimizer = createTrainingOptimizer(spec.optimizer);
    const before = tf.memory().numTensors;

    await restoreCheckpoint(await loadCheckpoint(path), model, optimizer);

    model.variables.forEach((variable, i) => {
      assert.deepEqual(variable.dataSync(), trained.model.variables[i]!.dataSync());
    });
    assert.equal(optimizer.iterations, 3);
    assert.deepEqual(
      await readOptimizerWeights(optimizer),
      await readOptimizerWeights(trained.optimizer),
    );
    // Only the optimizer's new slots (m and v per variable) remain.
    assert.equal(tf.memory().numTensors, before + 2 * model.variables.length);
    model.dispose();
    optimizer.dispose();
  });

  it('refuses to restore into an optimizer of another kind', async () => {
    const spec = createTinySpec({ optimizer: { kind: 'sgd' } });
    const model = createModel(spec);
    const optimizer = createTrainingOptimizer(spec.optimizer);

    await assert.rejects(restoreCheckpoint(await loadCheckpoint(path), model, optimizer), {
      name: 'DataFormatError',
      message: `${path}: holds Adam state, not Momentum`,
    });
    model.dispose();
    optimizer.dispose();
  });

  for (const keptBytes of [5, 40, -10]) {
    it(`names the file when it is truncated (${keptBytes} bytes kept)`, async () => {
      const copy = join(scratch.path, `truncated-${keptBytes}.ckpt`);
      const bytes = await readFile(path);
      await writeFile(copy, bytes);
      await truncate(copy, keptBytes > 0 ? keptBytes : bytes.length + keptBytes);

      await assert.rejects(loadCheckpoint(copy), (error: unknown) => {
        assert.ok(error instanceof DataFormatError);
        assert.equal(error.file, copy);
        assert.ok(error.message.startsWith(`${copy}: truncated checkpoint`), error.message);
        return true;
      });
    });
  }

  it('refuses a file whose payload was altered', async () => {
    const copy = join(scratch.path, 'corrupt.ckpt');
    const bytes = await readFile(path);
    bytes[bytes.length - 100]! ^= 0xff;
    await writeFile(copy, bytes);

    await assert.rejects(loadCheckpoint(copy), {
      name: 'DataFormatError',
      message: `${copy}: corrupt checkpoint: the payload does not match its sha256`,
    });
  });

  it('refuses a file that is not a checkpoint', async () => {
    const copy = join(scratch.path, 'not-a-checkpoint.ckpt');
    await writeFile(copy, 'step,loss\n1,0.5\n2,0.4\n');

    await assert.rejects(loadCheckpoint(copy), {
      name: 'DataFormatError',
      message: `${copy}: not a checkpoint file: it does not start with HGCKPT01`,
    });
  });

  it('names a missing file', async () => {
    const missing = join(scratch.path, 'missing.ckpt');

    await assert.rejects(loadCheckpoint(missing), {
      name: 'DataFormatError',
      message: new RegExp(`^${missing}: cannot read checkpoint: ENOENT`),
    });
  });
});
