import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs-core';

import { DataFormatError } from '@hourglass/common';
import { resolveBackend } from '@hourglass/compute';
import { openDataset, type BadImageReport } from '@hourglass/data';
import type { RunSpec, RunSpecInput } from '@hourglass/specs';

import { checkpointFileName, loadCheckpoint } from './checkpoint-file.ts';
import type { MetricPoint } from './metrics-buffer.ts';
import {
  createRunOptions,
  createScratchDir,
  createTinySpec,
  writeTinyImageFolder,
} from './test-support.ts';
import { trainRun, type TrainRunOptions } from './train-run.ts';

const BAD_IMAGE = join('bee', '3.jpg');

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let difference = 0;
  for (let i = 0; i < a.length; i += 1) {
    difference = Math.max(difference, Math.abs(a[i]! - b[i]!));
  }
  return difference;
}

describe('trainRun on an image folder', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDir>>;
  let goodFolder: string;
  let brokenFolder: string;

  before(async () => {
    await resolveBackend('wasm');
    scratch = await createScratchDir();
    goodFolder = join(scratch.path, 'good');
    brokenFolder = join(scratch.path, 'broken');
    await writeTinyImageFolder(goodFolder);
    await writeTinyImageFolder(brokenFolder, BAD_IMAGE);
  });

  after(async () => {
    await scratch.remove();
  });

  function folderSpec(
    path: string,
    overrides: Partial<RunSpecInput> = {},
    dataset: Record<string, unknown> = {},
  ): RunSpec {
    return createTinySpec({ dataset: { kind: 'image-folder', path, ...dataset }, ...overrides });
  }

  // Options for one trainRun call, with the folder opened afresh as the
  // worker opens it for every attempt.
  async function folderRunOptions(
    checkpointDir: string,
    overrides: Partial<TrainRunOptions> & { spec: RunSpec },
    reports: BadImageReport[] = [],
  ): Promise<TrainRunOptions> {
    const dataset = await openDataset(overrides.spec.dataset, {
      imageSize: overrides.spec.imageSize,
      reportBadImage: (report) => reports.push(report),
    });
    return createRunOptions(checkpointDir, { dataset, ...overrides });
  }

  it('resumed mid-epoch at step 5 reaches the weights of an unbroken run at 12', async () => {
    const spec = folderSpec(goodFolder);
    const unbrokenDir = join(scratch.path, 'unbroken');
    const brokenDir = join(scratch.path, 'interrupted');

    await trainRun(await folderRunOptions(unbrokenDir, { spec }));
    let stepsDone = 0;
    const stopped = await trainRun(
      await folderRunOptions(brokenDir, {
        spec,
        onProgress: (step) => {
          stepsDone = step;
        },
        pollStop: () => (stepsDone === 5 ? 'checkpoint-and-stop' : undefined),
      }),
    );
    const resumed = await trainRun(
      await folderRunOptions(brokenDir, {
        spec,
        resumeFrom: join(brokenDir, checkpointFileName(5)),
      }),
    );

    assert.deepEqual([stopped.finalStep, stopped.stoppedBy], [5, 'checkpoint-and-stop']);
    assert.deepEqual([resumed.finalStep, resumed.stoppedBy], [12, undefined]);
    // 24 images in batches of 8: 3 batches an epoch, whatever was read ahead.
    const atStop = await loadCheckpoint(join(brokenDir, checkpointFileName(5)));
    assert.deepEqual(atStop.samplerPosition, { epoch: 1, batchInEpoch: 2 });
    const expected = await loadCheckpoint(join(unbrokenDir, checkpointFileName(12)));
    const actual = await loadCheckpoint(join(brokenDir, checkpointFileName(12)));
    assert.deepEqual(expected.samplerPosition, { epoch: 4, batchInEpoch: 0 });
    assert.deepEqual(actual.samplerPosition, expected.samplerPosition);
    expected.modelWeights.forEach((weights, i) => {
      const difference = maxDifference(actual.modelWeights[i]!.values, weights.values);
      assert.ok(difference < 1e-5, `${weights.name} differs by ${difference}`);
    });
  });

  it('skips a bad image, reports its file once, and trains to the end', async () => {
    const reports: BadImageReport[] = [];
    const spec = folderSpec(brokenFolder);

    const result = await trainRun(
      await folderRunOptions(join(scratch.path, 'skip'), { spec }, reports),
    );

    assert.deepEqual([result.finalStep, result.stoppedBy], [12, undefined]);
    assert.deepEqual(
      reports.map((report) => [report.file, report.action]),
      [[join(brokenFolder, BAD_IMAGE), 'skipped']],
    );
  });

  it('fails with a DataFormatError naming the bad file when asked to', async () => {
    const spec = folderSpec(brokenFolder, {}, { onBadImage: 'fail' });
    const before = tf.memory().numTensors;

    await assert.rejects(
      trainRun(await folderRunOptions(join(scratch.path, 'fail'), { spec })),
      (error: unknown) => {
        assert.ok(error instanceof DataFormatError);
        assert.equal(error.file, join(brokenFolder, BAD_IMAGE));
        assert.match(error.message, /bee\/3\.jpg: cannot decode image/);
        return true;
      },
    );
    assert.equal(tf.memory().numTensors, before, 'the model and optimizer are freed');
  });

  it('scores a classifier on the validation split read from the folder', async () => {
    const points: MetricPoint[] = [];
    const spec = folderSpec(
      goodFolder,
      {
        model: { family: 'alexnet', widthMultiplier: 0.0625 },
        schedule: { unit: 'steps', steps: 4 },
        checkpointEverySteps: 2,
      },
      { validationFraction: 0.25 },
    );

    await trainRun(
      await folderRunOptions(join(scratch.path, 'validation'), {
        spec,
        onMetrics: async (batch) => {
          points.push(...batch);
        },
      }),
    );

    const top1 = points.filter((point) => point.name === 'validation/top1');
    assert.deepEqual(
      top1.map((point) => point.step),
      [2, 4],
    );
    for (const { value } of top1) {
      // 2 of each class's 8 images are held out: 6 in all.
      const sixths = value * 6;
      assert.ok(Math.abs(sixths - Math.round(sixths)) < 1e-6, `top-1 ${value}`);
    }
  });

  it('trains colorization with rebalancing weights from a sample of the folder', async () => {
    const spec = folderSpec(goodFolder, {
      model: { family: 'colorization', channels: 4, gridSize: 20, binSet: 'srgb' },
      schedule: { unit: 'steps', steps: 2 },
    });

    const result = await trainRun(await folderRunOptions(join(scratch.path, 'colour'), { spec }));

    assert.equal(result.finalStep, 2);
  });
});
