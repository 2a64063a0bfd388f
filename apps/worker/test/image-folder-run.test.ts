import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { gradientImage, writeImageFolder } from '@hourglass/data/testing';

import { isFinished, smallRun, startFleet, type Fleet } from './harness.ts';

// 2 classes of 16 images, 40 pixels a side, one of which does not decode.
const BAD_IMAGE = join('b', '05.jpg');

describe('a run on an image folder', () => {
  let fleet: Fleet;
  let folder: string;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'hourglass-worker-folder-'));
    await writeImageFolder(
      folder,
      ['a', 'b'].flatMap((className, label) =>
        Array.from({ length: 16 }, (_, i) => {
          const fileName = `${String(i).padStart(2, '0')}.jpg`;
          return gradientImage(className, fileName, 40, 40, label * 50 + i);
        }),
      ),
    );
    await writeFile(join(folder, BAD_IMAGE), 'not an image at all');
    fleet = await startFleet();
  });

  after(async () => {
    await fleet.close();
    await rm(folder, { recursive: true, force: true });
  });

  const folderRun = (onBadImage: 'skip' | 'fail') =>
    smallRun({
      dataset: { kind: 'image-folder', path: folder, onBadImage },
      batchSize: 8,
      schedule: { unit: 'steps', steps: 8 },
      checkpointEverySteps: 4,
    });

  test('skips the bad image and trains to success', async () => {
    const { id } = await fleet.submit(folderRun('skip'));

    const run = await fleet.waitForRun(id, isFinished);

    assert.equal(run.status, 'succeeded', `run error: ${String(run.error)}`);
    assert.equal(run.step, 8);
  });

  test('fails once, naming the bad file, when the spec says fail', async () => {
    const { id } = await fleet.submit(folderRun('fail'));

    const run = await fleet.waitForRun(id, isFinished);

    assert.equal(run.status, 'failed');
    assert.equal(run.errorCode, 'HG_DATA_FORMAT');
    assert.ok(String(run.error).includes(join(folder, BAD_IMAGE)), String(run.error));
    const job = await fleet.api.services.trainingQueue.getJob(id);
    assert.equal(job?.attemptsMade, 1, 'a bad image must not be retried');
  });

  test('its checkpoints get a linear probe on the folder\'s own labels', async () => {
    const { id } = await fleet.submit({
      ...folderRun('skip'),
      dataset: { kind: 'image-folder', path: folder, validationFraction: 0.25 },
      evaluations: ['linear-probe'],
      evaluation: {
        featureDimensions: 256,
        probe: { trainImages: 64, testImages: 64, epochs: 30 },
      },
    });
    await fleet.waitForRun(id, isFinished);

    const rows = await waitForProbe(id, 8);

    for (const row of rows) {
      assert.equal(row.status, 'succeeded', String(row.error));
      assert.equal(row.details?.classes, 2);
      assert.equal(row.details?.testImages, 8, 'a quarter of 32 images held out');
      // The classes differ in their blue level: any layer separates them.
      assert.ok(row.score! >= 0.75, `${row.layer}: top-1 ${row.score}`);
    }
  });

  interface ProbeRow {
    layer: string;
    status: string;
    score: number | null;
    error: string | null;
    details: Record<string, unknown> | null;
  }

  async function waitForProbe(runId: string, step: number): Promise<ProbeRow[]> {
    const url = `/v1/runs/${runId}/evaluations?kind=linear-probe&step=${step}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const rows = (await fleet.api.app.inject({ url })).json<{ evaluations: ProbeRow[] }>()
        .evaluations;
      const isSettled = rows.every((row) => row.status === 'succeeded' || row.status === 'failed');
      if (rows.length > 0 && isSettled) return rows;
      if (Date.now() > deadline) throw new Error(`probe of ${runId} not settled`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
});
