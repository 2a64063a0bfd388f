import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import type { SweepSpecInput } from '@hourglass/sweeps';

import { smallRun, startFleet, type Fleet } from './harness.ts';

interface RunBody {
  id: string;
  status: string;
  step: number;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

interface SweepBody {
  id: string;
  status: string;
  runIds: string[];
  counts: Record<string, number>;
  leaderboard: { entries: { runId: string; rank: number | null; status: string }[] };
}

const FINISHED = ['succeeded', 'failed', 'cancelled', 'stopped_early'];

describe('a sweep trained by a worker', () => {
  let fleet: Fleet;
  const sweepIds: string[] = [];

  before(async () => {
    fleet = await startFleet();
  });

  after(async () => {
    // Deleting the sweep first leaves its runs to the fleet's own cleanup.
    await fleet.api.services.db.sweep.deleteMany({ where: { id: { in: sweepIds } } });
    await fleet.close();
  });

  async function submitSweep(spec: SweepSpecInput): Promise<SweepBody> {
    const response = await fleet.api.app.inject({
      method: 'POST',
      url: '/v1/sweeps',
      payload: spec,
    });
    assert.equal(response.statusCode, 201, response.body);
    const sweep = response.json<SweepBody>();
    sweepIds.push(sweep.id);
    fleet.runIds.push(...sweep.runIds);
    return sweep;
  }

  async function getSweep(id: string): Promise<SweepBody> {
    const response = await fleet.api.app.inject({ url: `/v1/sweeps/${id}` });
    return response.json<SweepBody>();
  }

  /** Polls the sweep until it has finished, counting the most runs seen running at once. */
  async function waitForSweep(id: string, timeoutMs = 120_000) {
    const deadline = Date.now() + timeoutMs;
    let mostRunning = 0;
    for (;;) {
      const sweep = await getSweep(id);
      mostRunning = Math.max(mostRunning, sweep.counts.running ?? 0);
      if (sweep.status === 'finished') return { sweep, mostRunning };
      if (Date.now() > deadline) {
        throw new Error(`sweep ${id} still ${sweep.status}: ${JSON.stringify(sweep.counts)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Waits until the run's filters evaluation at `step` has succeeded. */
  async function waitForEvaluation(runId: string, step: number, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = await fleet.api.app.inject({
        url: `/v1/runs/${runId}/evaluations?kind=filters&step=${step}`,
      });
      const rows: { status: string }[] = response.json().evaluations;
      if (rows.some((row) => row.status === 'succeeded')) return;
      if (Date.now() > deadline) {
        throw new Error(`no filters evaluation of ${runId} at step ${step}: ${response.body}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function getRuns(ids: readonly string[]): Promise<RunBody[]> {
    return Promise.all(ids.map((id) => fleet.getRun(id) as unknown as Promise<RunBody>));
  }

  test('with maxConcurrent 1 every run trains to success, one after another', async () => {
    const base = smallRun({ schedule: { unit: 'steps', steps: 10 }, checkpointEverySteps: 10 });
    const submitted = await submitSweep({
      name: 'worker sweep, one at a time',
      base: base as Record<string, unknown>,
      seeds: [1, 2, 3],
      maxConcurrent: 1,
    });

    const { sweep, mostRunning } = await waitForSweep(submitted.id);
    const runs = await getRuns(submitted.runIds);

    assert.equal(sweep.counts.succeeded, 3, JSON.stringify(runs.map((run) => run.error)));
    assert.equal(mostRunning <= 1, true, `${mostRunning} runs trained at once`);
    assert.ok(runs.every((run) => run.status === 'succeeded' && run.step === 10));
    // In index order, each starting only after the one before had finished.
    for (const [earlier, later] of runs.slice(0, -1).map((run, i) => [run, runs[i + 1]!])) {
      assert.ok(
        Date.parse(later!.startedAt!) >= Date.parse(earlier!.finishedAt!),
        `run ${later!.id} started before run ${earlier!.id} finished`,
      );
    }
  });

  test('ASHA stops a run that cannot learn at the first rung, keeping its checkpoint',
    async () => {
      const base = smallRun({
        schedule: { unit: 'steps', steps: 60 },
        checkpointEverySteps: 20,
        metricsEverySteps: 5,
        evaluations: ['filters'],
      });
      const submitted = await submitSweep({
        name: 'worker sweep, early stopping',
        base: base as Record<string, unknown>,
        // The first run learns; the second's steps are too small to move the loss.
        parameters: { 'optimizer.learningRate': [3e-3, 1e-7] },
        maxConcurrent: 1,
        earlyStopping: { metric: 'loss/total', mode: 'min', minSteps: 20, reductionFactor: 2 },
      });
      const [learnerId, stuckId] = submitted.runIds as [string, string];

      const { sweep } = await waitForSweep(submitted.id);
      const [learner, stuck] = await getRuns([learnerId, stuckId]);

      assert.equal(learner!.status, 'succeeded', String(learner!.error));
      assert.equal(learner!.step, 60);
      assert.equal(stuck!.status, 'stopped_early', String(stuck!.error));
      assert.ok(stuck!.step >= 20 && stuck!.step < 40, `stopped at step ${stuck!.step}`);
      assert.ok(FINISHED.includes(stuck!.status));

      const listed = await fleet.api.app.inject({ url: `/v1/runs/${stuckId}/checkpoints` });
      const checkpoints: { step: number; location: string }[] = listed.json().checkpoints;
      assert.equal(checkpoints.at(-1)?.step, stuck!.step);
      await access(join(fleet.artifactDir, checkpoints.at(-1)!.location));
      await waitForEvaluation(stuckId, stuck!.step);

      assert.deepEqual(sweep.counts.stopped_early, 1);
      assert.deepEqual(
        sweep.leaderboard.entries.map((entry) => [entry.runId, entry.rank]),
        [
          [learnerId, 1],
          [stuckId, 2],
        ],
      );
    });
});
