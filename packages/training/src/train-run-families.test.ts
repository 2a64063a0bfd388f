import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { resolveBackend } from '@hourglass/compute';
import type { RunSpecInput } from '@hourglass/specs';

import { checkpointFileName, loadCheckpoint } from './checkpoint-file.ts';
import type { MetricPoint } from './metrics-buffer.ts';
import {
  createRunOptions,
  createScratchDir,
  createTinySpec,
} from './test-support.ts';
import { trainRun } from './train-run.ts';

// Families whose steps draw random numbers (latent noise, dropout), and
// two that add metrics of their own; all small enough for 16px images.
const VAE: RunSpecInput['model'] = { family: 'vae', channels: [4, 8], latentSize: 4 };
const ALEXNET: RunSpecInput['model'] = {
  family: 'alexnet',
  widthMultiplier: 0.0625,
  dropoutRate: 0.5,
};
const SPARSE: RunSpecInput['model'] = {
  family: 'sparse-pooled-ae',
  channels: 4,
  stride: 2,
  poolSize: 2,
  decoderKernelSize: 4,
  sparsity: { weight: 0.1, placement: 'post-pool' },
};

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let difference = 0;
  for (let i = 0; i < a.length; i += 1) {
    difference = Math.max(difference, Math.abs(a[i]! - b[i]!));
  }
  return difference;
}

describe('trainRun with every family', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDir>>;

  before(async () => {
    await resolveBackend('wasm');
    scratch = await createScratchDir();
  });

  after(async () => {
    await scratch.remove();
  });

  for (const model of [VAE, ALEXNET]) {
    it(`resumed at step 6 reaches the weights of an unbroken run at 12 (${model.family})`,
      async () => {
        const spec = createTinySpec({ model });
        const unbrokenDir = join(scratch.path, `unbroken-${model.family}`);
        const brokenDir = join(scratch.path, `broken-${model.family}`);

        await trainRun(createRunOptions(unbrokenDir, { spec }));
        let stepsDone = 0;
        await trainRun(
          createRunOptions(brokenDir, {
            spec,
            onProgress: (step) => {
              stepsDone = step;
            },
            pollStop: () => (stepsDone === 6 ? 'checkpoint-and-stop' : undefined),
          }),
        );
        await trainRun(
          createRunOptions(brokenDir, {
            spec,
            resumeFrom: join(brokenDir, checkpointFileName(6)),
          }),
        );

        const expected = await loadCheckpoint(join(unbrokenDir, checkpointFileName(12)));
        const actual = await loadCheckpoint(join(brokenDir, checkpointFileName(12)));
        expected.modelWeights.forEach((weights, i) => {
          const difference = maxDifference(actual.modelWeights[i]!.values, weights.values);
          assert.ok(difference < 1e-5, `${weights.name} differs by ${difference}`);
        });
      });
  }

  it('logs every loss term and the model metrics of each step', async () => {
    const namesOf = async (model: RunSpecInput['model']) => {
      const names = new Set<string>();
      await trainRun(
        createRunOptions(join(scratch.path, `names-${model.family}`), {
          spec: createTinySpec({ model, schedule: { unit: 'steps', steps: 2 } }),
          onMetrics: async (points) => {
            for (const point of points) names.add(point.name);
          },
        }),
      );
      return [...names].sort();
    };

    const common = ['images_per_second', 'learning_rate', 'loss/total'];
    assert.deepEqual(await namesOf(SPARSE), [
      ...common,
      'loss/reconstruction',
      'loss/sparsity',
      'sparsity/near_zero_fraction',
    ].sort());
    assert.deepEqual(await namesOf(VAE), [
      ...common,
      'elbo',
      'loss/kl',
      'loss/reconstruction',
    ].sort());
  });

  it('scores the supervised baseline on the test split at every checkpoint', async () => {
    const points: MetricPoint[] = [];

    await trainRun(
      createRunOptions(join(scratch.path, 'validation'), {
        spec: createTinySpec({ model: ALEXNET, checkpointEverySteps: 5 }),
        onMetrics: async (batch) => {
          points.push(...batch);
        },
      }),
    );

    const top1 = points.filter((point) => point.name === 'validation/top1');
    assert.deepEqual(
      top1.map((point) => point.step),
      [5, 10, 12],
    );
    for (const { value } of top1) {
      // 8 test images: the score is a whole number of eighths.
      assert.ok(value >= 0 && value <= 1 && Number.isInteger(value * 8), `top-1 ${value}`);
    }
    assert.ok(points.some((point) => point.name === 'loss/cross_entropy'));
  });

  it('does not score a checkpoint written to stop, so shutdowns stay quick', async () => {
    const points: MetricPoint[] = [];
    let stepsDone = 0;

    await trainRun(
      createRunOptions(join(scratch.path, 'stop-without-validation'), {
        spec: createTinySpec({ model: ALEXNET }),
        onProgress: (step) => {
          stepsDone = step;
        },
        pollStop: () => (stepsDone === 3 ? 'checkpoint-and-stop' : undefined),
        onMetrics: async (batch) => {
          points.push(...batch);
        },
      }),
    );

    assert.ok(points.some((point) => point.name === 'loss/total' && point.step === 3));
    assert.ok(points.every((point) => point.name !== 'validation/top1'));
  });

  it('refuses a dataset with more classes than the classifier has outputs', async () => {
    const spec = createTinySpec({ model: { ...ALEXNET, classCount: 5 } });

    await assert.rejects(trainRun(createRunOptions(join(scratch.path, 'classes'), { spec })), {
      name: 'ValidationError',
      message: /model\.classCount: generated has 10 classes; the classifier has 5 outputs/,
    });
  });
});
