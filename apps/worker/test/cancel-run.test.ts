import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { isFinished, smallRun, startFleet, type Fleet } from './harness.ts';

describe('cancelling a run', () => {
  let fleet: Fleet;
  before(async () => {
    fleet = await startFleet();
  });
  after(async () => {
    await fleet.close();
  });

  test('a running run stops within one batch of the cancel', async () => {
    const { id } = await fleet.submit(
      smallRun({ schedule: { unit: 'steps', steps: 100_000 }, checkpointEverySteps: 50_000 }),
    );
    await fleet.waitForRun(id, (run) => run.status === 'running' && run.step >= 10);
    const queue = fleet.api.services.trainingQueue;

    const cancelled = await fleet.api.app.inject({ method: 'POST', url: `/v1/runs/${id}/cancel` });
    assert.equal(cancelled.statusCode, 200);
    assert.equal(cancelled.json().status, 'cancelled');
    const progressAtCancel = ((await queue.getJob(id))?.progress as { step: number }).step;

    const deadline = Date.now() + 20_000;
    let job = await queue.getJob(id);
    while (!(await job?.isCompleted()) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = await queue.getJob(id);
    }
    assert.ok(await job?.isCompleted(), 'the job did not end after the cancel');
    assert.equal(job?.returnvalue.outcome, 'cancelled');
    // The step in flight when the message arrived may finish; no more.
    assert.ok(
      job.returnvalue.finalStep <= progressAtCancel + 2,
      `trained ${job.returnvalue.finalStep - progressAtCancel} steps after the cancel`,
    );
    const run = await fleet.getRun(id);
    assert.equal(run.status, 'cancelled');
  });

  test('a queued run is removed from the queue and never starts', async () => {
    // Keep the worker busy so the second run waits in the queue.
    const busy = await fleet.submit(
      smallRun({ schedule: { unit: 'steps', steps: 100_000 }, checkpointEverySteps: 50_000 }),
    );
    await fleet.waitForRun(busy.id, (run) => run.status === 'running');
    const { id } = await fleet.submit(smallRun());

    const cancelled = await fleet.api.app.inject({ method: 'POST', url: `/v1/runs/${id}/cancel` });
    assert.equal(cancelled.json().status, 'cancelled');
    assert.equal(await fleet.api.services.trainingQueue.getJob(id), undefined);

    await fleet.api.app.inject({ method: 'POST', url: `/v1/runs/${busy.id}/cancel` });
    await fleet.waitForRun(busy.id, isFinished);
    const run = await fleet.getRun(id);
    assert.equal(run.status, 'cancelled');
    assert.equal(run.attempts, 0);
  });
});
