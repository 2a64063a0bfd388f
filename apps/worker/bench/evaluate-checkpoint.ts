/**
 * How long one checkpoint's evaluations take with the default settings
 * (probe on 5,000 training and 1,000 test images, features resized to
 * about 9,000 values): trains a model briefly on CIFAR-10, then evaluates
 * its last checkpoint in this process, kind by kind, printing seconds per
 * evaluation and the peak resident memory. Not a test.
 *
 *   npm run bench:evaluate -w @hourglass/worker -- [cifar10-dir] [family]
 *
 * The CIFAR-10 folder defaults to ../shared/data/cifar10 (the official
 * binary layout); family is shallow-ae (default), pooled-ae or deep-ae.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { createSilentLogger } from '@hourglass/common';
import { resolveBackend } from '@hourglass/compute';
import { loadDataset } from '@hourglass/data';
import { RunSpec, type EvaluationKind } from '@hourglass/specs';
import { trainRun } from '@hourglass/training';

import { evaluateCheckpoint } from '../src/evaluation/evaluate-checkpoint.ts';

const cifarDir = resolve(process.argv[2] ?? '../../../shared/data/cifar10');
const family = process.argv[3] ?? 'shallow-ae';
const kinds: EvaluationKind[] = ['filters', 'reconstructions', 'rsa', 'linear-probe'];

const logger = createSilentLogger();
const backend = await resolveBackend('auto', logger);
const spec = RunSpec.parse({
  model: { family },
  dataset: { kind: 'cifar10', path: cifarDir },
  schedule: { unit: 'steps', steps: 50 },
  checkpointEverySteps: 50,
  evaluations: kinds,
});
const artifactDir = await mkdtemp(join(tmpdir(), 'hourglass-bench-evaluate-'));
const checkpointDir = join(artifactDir, 'checkpoints');

try {
  const trainingStart = performance.now();
  const dataset = await loadDataset(spec.dataset, { imageSize: spec.imageSize });
  const trained = await trainRun({ runId: 'bench', spec, dataset, checkpointDir, logger });
  const trainingSeconds = (performance.now() - trainingStart) / 1000;
  console.log(
    `backend ${backend.name}; ${family} trained ${trained.finalStep} steps ` +
      `in ${trainingSeconds.toFixed(1)} s`,
  );

  let last = performance.now();
  const started = last;
  await evaluateCheckpoint(
    {
      runId: 'bench',
      spec,
      step: trained.finalStep,
      checkpointPath: trained.lastCheckpoint!.path,
      artifactDir,
      kinds,
      backend: backend.name,
    },
    {
      onResult: (result) => {
        const now = performance.now();
        const scores = result.rows.map((row) => `${row.layer || row.area || '-'}=${
          row.score?.toFixed(3)}`);
        console.log(
          `${result.kind.padEnd(16)} ${((now - last) / 1000).toFixed(1).padStart(6)} s  ` +
            scores.join(' '),
        );
        last = now;
      },
      onKindFailed: (kind, failure) => {
        console.log(`${kind} failed: ${failure.message}`);
        last = performance.now();
      },
    },
  );
  const totalSeconds = (performance.now() - started) / 1000;
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  console.log(`all evaluations ${totalSeconds.toFixed(1)} s; peak RSS ${peakMiB.toFixed(0)} MiB`);
} finally {
  await rm(artifactDir, { recursive: true, force: true });
}
