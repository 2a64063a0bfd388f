import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';

import { TrainingError } from '@hourglass/common';
import { resolveBackend } from '@hourglass/compute';
import type { RunSpecInput } from '@hourglass/specs';

import type { CheckpointInfo } from './checkpoint.ts';
import { checkpointFileName, loadCheckpoint } from './checkpoint-file.ts';
import type { MetricPoint } from './metrics-buffer.ts';
import {
  createRunOptions,
  createScratchDir,
  createTinySpec,
} from './test-support.ts';
import { trainRun } from './train-run.ts';

const OPTIMIZER_CASES: { label: string; spec: Partial<RunSpecInput> }[] = [
  { label: 'Adam, constant rate', spec: {} },
  {
    label: 'Nesterov SGD, cosine rate, clipped gradients',
    spec: {
      optimizer: { kind: 'sgd', learningRate: 0.05, momentum: 0.9, useNesterov: true },
      learningRateSchedule: { kind: 'cosine', warmupSteps: 3, minFactor: 0.1 },
      gradientClipNorm: 0.5,
    },
  },
];

function maxDifference(a: Float32Array | Int32Array, b: Float32Array | Int32Array): number {
  assert.equal(a.length, b.length);
  let difference = 0;
  a.forEach((value, i) => {
    difference = Math.max(difference, Math.abs(value - b[i]!));
  });
  return difference;
}

describe('trainRun', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDir>>;

  before(async () => {
    const backend = await resolveBackend('wasm');
    assert.equal(backend.tfBackend, 'wasm');
    scratch = await createScratchDir();
  });

  after(async () => {
    await scratch.remove();
  });

  for (const { label, spec: specOverrides } of OPTIMIZER_CASES) {
    it(`resumed at step 6 reaches the weights of an unbroken run at 12 (${label})`, async () => {
      const spec = createTinySpec(specOverrides);
      const unbrokenDir = join(scratch.path, `unbroken-${label}`);
      const brokenDir = join(scratch.path, `broken-${label}`);

      const unbroken = await trainRun(createRunOptions(unbrokenDir, { spec }));
      let stepsDone = 0;
      const stopped = await trainRun(
        createRunOptions(brokenDir, {
          spec,
          onProgress: (step) => {
            stepsDone = step;
          },
          pollStop: () => (stepsDone === 6 ? 'checkpoint-and-stop' : undefined),
        }),
      );
      const resumed = await trainRun(
        createRunOptions(brokenDir, {
          spec,
          resumeFrom: join(brokenDir, checkpointFileName(6)),
        }),
      );

      assert.equal(unbroken.finalStep, 12);
      assert.deepEqual([stopped.finalStep, stopped.stoppedBy], [6, 'checkpoint-and-stop']);
      assert.deepEqual([resumed.finalStep, resumed.stoppedBy], [12, undefined]);
      const expected = await loadCheckpoint(join(unbrokenDir, checkpointFileName(12)));
      const actual = await loadCheckpoint(join(brokenDir, checkpointFileName(12)));
      assert.deepEqual(actual.samplerPosition, expected.samplerPosition);
      expected.modelWeights.forEach((weights, i) => {
        const difference = maxDifference(actual.modelWeights[i]!.values, weights.values);
        assert.ok(difference < 1e-5, `${weights.name} differs by ${difference}`);
      });
      expected.optimizerWeights.forEach((weights, i) => {
        const difference = maxDifference(actual.optimizerWeights[i]!.values, weights.values);
        assert.ok(difference < 1e-5, `${weights.name} differs by ${difference}`);
      });
    });
  }

  it('does nothing more when resumed from its final checkpoint', async () => {
    const directory = join(scratch.path, 'finished');
    await trainRun(createRunOptions(directory));
    const reported: CheckpointInfo[] = [];

    const result = await trainRun(
      createRunOptions(directory, {
        resumeFrom: join(directory, checkpointFileName(12)),
        onCheckpoint: async (info) => {
          reported.push(info);
        },
      }),
    );

    assert.deepEqual([result.finalStep, result.stoppedBy], [12, undefined]);
    assert.deepEqual(reported, []);
  });

  it('writes no second checkpoint when asked to stop right after one', async () => {
    const directory = join(scratch.path, 'stop-after-checkpoint');
    const reported: number[] = [];
    let stepsDone = 0;

    const result = await trainRun(
      createRunOptions(directory, {
        spec: createTinySpec({ checkpointEverySteps: 4 }),
        onProgress: (step) => {
          stepsDone = step;
        },
        onCheckpoint: async (info) => {
          reported.push(info.step);
        },
        pollStop: () => (stepsDone === 4 ? 'checkpoint-and-stop' : undefined),
      }),
    );

    assert.deepEqual([result.finalStep, result.stoppedBy], [4, 'checkpoint-and-stop']);
    assert.deepEqual(reported, [4]);
    assert.equal(result.lastCheckpoint?.step, 4);
  });

  it('checkpoints every checkpointEverySteps steps and at the end', async () => {
    const directory = join(scratch.path, 'schedule');
    const reported: CheckpointInfo[] = [];

    const result = await trainRun(
      createRunOptions(directory, {
        spec: createTinySpec({ checkpointEverySteps: 5 }),
        onCheckpoint: async (info) => {
          reported.push(info);
        },
      }),
    );

    assert.deepEqual(
      reported.map((info) => info.step),
      [5, 10, 12],
    );
    assert.deepEqual(await readdir(directory), [
      'step-0000005.ckpt',
      'step-0000010.ckpt',
      'step-0000012.ckpt',
    ]);
    const last = await loadCheckpoint(reported[2]!.path);
    assert.deepEqual(last.info, reported[2]);
    assert.deepEqual(result.lastCheckpoint, reported[2]);
    assert.equal(last.optimizerWeights[0]!.name, 'iter');
    assert.equal(last.optimizerWeights[0]!.values[0], 12);
  });

  it('hands metrics over in batches with strictly increasing steps', async () => {
    const batches: MetricPoint[][] = [];
    let isCheckpointReported = false;

    await trainRun(
      createRunOptions(join(scratch.path, 'metrics'), {
        spec: createTinySpec({
          schedule: { unit: 'steps', steps: 10 },
          metricsEverySteps: 4,
          checkpointEverySteps: 6,
        }),
        onMetrics: async (points) => {
          batches.push(points);
        },
        onCheckpoint: async (info) => {
          const lastStep = Math.max(...batches.flat().map((point) => point.step));
          assert.equal(lastStep, info.step, 'metrics up to the checkpoint came first');
          isCheckpointReported = true;
        },
      }),
    );

    assert.ok(isCheckpointReported);
    assert.deepEqual(
      batches.map((points) => [...new Set(points.map((point) => point.step))]),
      [
        [1, 2, 3, 4],
        [5, 6],
        [7, 8],
        [9, 10],
      ],
    );
    const lastStepByName = new Map<string, number>();
    for (const point of batches.flat()) {
      const last = lastStepByName.get(point.name) ?? 0;
      assert.ok(point.step > last, `${point.name} at step ${point.step} after ${last}`);
      assert.ok(Number.isFinite(point.value), `${point.name} is ${point.value}`);
      lastStepByName.set(point.name, point.step);
    }
    const names = [...lastStepByName.keys()].sort();
    assert.deepEqual(names, [
      'images_per_second',
      'learning_rate',
      'loss/reconstruction',
      'loss/total',
    ]);
    const losses = batches.flat().filter((point) => point.name === 'loss/total');
    assert.deepEqual(
      losses.map((point) => point.step),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
  });

  it('keeps the number of live tensors flat from step to step', async () => {
    const counts: number[] = [];
    const before = tf.memory().numTensors;

    await trainRun(
      createRunOptions(join(scratch.path, 'memory'), {
        spec: createTinySpec({ checkpointEverySteps: 4, metricsEverySteps: 3 }),
        onProgress: () => {
          counts.push(tf.memory().numTensors);
        },
      }),
    );

    // Step 1 creates the optimizer's slots; nothing may grow after it.
    assert.equal(counts.length, 12);
    assert.deepEqual(new Set(counts.slice(1)).size, 1, `counts ${counts.join(', ')}`);
    assert.equal(tf.memory().numTensors, before, 'the model and optimizer are freed');
  });

  it('throws a TrainingError naming the step when the loss diverges', async () => {
    const spec = createTinySpec();
    const before = tf.memory().numTensors;
    // 1e9 is beyond what the spec schema accepts; the loop trusts its spec.
    const diverging = { ...spec, optimizer: { ...spec.optimizer, learningRate: 1e9 } };

    await assert.rejects(
      trainRun(createRunOptions(join(scratch.path, 'nan'), { spec: diverging })),
      (error: unknown) => {
        assert.ok(error instanceof TrainingError);
        assert.match(error.message, /^loss is (NaN|-?Infinity) at step \d+/);
        return true;
      },
    );
    assert.equal(tf.memory().numTensors, before);
  });

  it('checkpoints the untrained network when the spec asks for evaluations', async () => {
    const directory = join(scratch.path, 'step-zero');
    const reported: number[] = [];

    await trainRun(
      createRunOptions(directory, {
        spec: createTinySpec({ checkpointEverySteps: 5, evaluations: ['filters'] }),
        onCheckpoint: async (info) => {
          reported.push(info.step);
        },
      }),
    );

    assert.deepEqual(reported, [0, 5, 10, 12]);
    const untrained = await loadCheckpoint(join(directory, checkpointFileName(0)));
    assert.equal(untrained.step, 0);
  });

  it('returns at once on cancel, without a checkpoint', async () => {
    const directory = join(scratch.path, 'cancel');
    let stepsDone = 0;
    const batches: MetricPoint[][] = [];

    const result = await trainRun(
      createRunOptions(directory, {
        onProgress: (step) => {
          stepsDone = step;
        },
        onMetrics: async (points) => {
          batches.push(points);
        },
        pollStop: () => (stepsDone === 3 ? 'cancel' : undefined),
      }),
    );

    assert.deepEqual([result.finalStep, result.stoppedBy], [3, 'cancel']);
    assert.equal(result.lastCheckpoint, undefined);
    await assert.rejects(readdir(directory), { code: 'ENOENT' });
    const steps = batches.flat().filter((point) => point.name === 'loss/total');
    assert.deepEqual(
      steps.map((point) => point.step),
      [1, 2, 3],
    );
  });

  it('refuses to resume from a checkpoint of another spec', async () => {
    const directory = join(scratch.path, 'other-spec');
    await trainRun(createRunOptions(directory, { spec: createTinySpec({ seed: 1 }) }));

    await assert.rejects(
      trainRun(
        createRunOptions(directory, {
          spec: createTinySpec({ seed: 2 }),
          resumeFrom: join(directory, checkpointFileName(12)),
        }),
      ),
      { name: 'TrainingError', message: /was written for a different spec/ },
    );
  });

  it('trains for epochs * floor(count / batchSize) steps', async () => {
    const result = await trainRun(
      createRunOptions(join(scratch.path, 'epochs'), {
        spec: createTinySpec({ schedule: { unit: 'epochs', epochs: 2 } }),
      }),
    );

    assert.deepEqual([result.finalStep, result.totalSteps], [16, 16]);
    assert.ok(result.imagesPerSecond > 0);
  });

  it('lowers the loss over a short run', async () => {
    const losses: MetricPoint[] = [];

    await trainRun(
      createRunOptions(join(scratch.path, 'learns'), {
        spec: createTinySpec({
          schedule: { unit: 'steps', steps: 40 },
          optimizer: { kind: 'adam', learningRate: 0.01 },
        }),
        onMetrics: async (points) => {
          losses.push(...points.filter((point) => point.name === 'loss/total'));
        },
      }),
    );

    const mean = (points: MetricPoint[]) =>
      points.reduce((sum, point) => sum + point.value, 0) / points.length;
    const first = mean(losses.slice(0, 5));
    const last = mean(losses.slice(-5));
    assert.ok(last < 0.5 * first, `loss went from ${first} to ${last}`);
  });

  it('refuses a dataset whose images are not imageSize square', async () => {
    await assert.rejects(
      trainRun(
        createRunOptions(join(scratch.path, 'size'), {
          spec: createTinySpec({ imageSize: 32 }),
        }),
      ),
      { name: 'ShapeError', message: 'in trainRun: expected [n, 32, 32, 3], got [64, 16, 16, 3]' },
    );
  });
});
