/**
 * Training throughput per model family: trains each family's default spec
 * for a fixed number of steps on 32x32 generated images, batch 64, with
 * Adam, on the backend the resolver picks, and prints one JSON line per
 * family. The first step (kernel setup, optimizer slots) is left out of
 * the rate. Each family trains in a process of its own, because the wasm
 * heap never shrinks: peakRssMiB is that process's peak resident memory
 * (the runtime, the 4,096 generated images and the family's training),
 * and liveTensorMiB is what stays allocated between its steps (weights,
 * optimizer slots).
 *
 * When PyTorch is importable by /usr/bin/python3, torch-reference.py then
 * trains the same architectures on one thread, and each line gains
 * PyTorch's rate and the ratio of ours to it; otherwise a note on stderr
 * says the comparison was skipped. Not a test: figures depend on the
 * machine and on what else it is doing.
 *
 *   npm run bench:train -- [steps] [family,family,...]
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import * as tf from '@tensorflow/tfjs-core';

import { createSilentLogger } from '@hourglass/common';
import { resolveBackend } from '@hourglass/compute';
import { createGeneratedDataset } from '@hourglass/data';
import { RunSpec, type ModelFamily, type RunSpec as ParsedRunSpec } from '@hourglass/specs';

import { trainRun } from '../src/index.ts';

const BATCH_SIZE = 64;
const IMAGE_SIZE = 32;
const PYTHON = '/usr/bin/python3';
const TORCH_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'torch-reference.py');

// Every family with its default spec, as a run would train it.
const ALL_FAMILIES: ModelFamily[] = [
  'shallow-ae',
  'sparse-shallow-ae',
  'pooled-ae',
  'sparse-pooled-ae',
  'deep-ae',
  'vae',
  'colorization',
  'alexnet',
];

interface FamilyResult {
  family: string;
  backend: string;
  device: string;
  steps: number;
  batchSize: number;
  imagesPerSecond: number;
  peakRssMiB: number;
  liveTensorMiB: number;
  torchImagesPerSecond?: number;
  ratioToTorch?: number;
}

// Set in the process that trains one family for its parent.
const CHILD_FLAG = '--one-family';

const steps = Number(process.argv[2] ?? 20);
const families = (process.argv[3]?.split(',') ?? ALL_FAMILIES) as ModelFamily[];
const specs = families.map((family) =>
  RunSpec.parse({
    model: { family },
    imageSize: IMAGE_SIZE,
    batchSize: BATCH_SIZE,
    schedule: { unit: 'steps', steps },
    checkpointEverySteps: steps * 10,
  }),
);

if (process.argv.includes(CHILD_FLAG)) {
  console.log(JSON.stringify(await benchmarkFamily(specs[0]!)));
} else {
  const results = specs.map((spec) => benchmarkInChild(spec.model.family));
  const torch = runTorchReference(specs);
  for (const result of results) {
    const reference = torch?.get(result.family);
    if (reference !== undefined) {
      result.torchImagesPerSecond = Math.round(reference);
      result.ratioToTorch = Number((result.imagesPerSecond / reference).toFixed(3));
    }
    console.log(JSON.stringify(result));
  }
}

// Runs this script for one family in a fresh process and reads its line.
function benchmarkInChild(family: ModelFamily): FamilyResult {
  const script = fileURLToPath(import.meta.url);
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', script, String(steps), family, CHILD_FLAG],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // tfjs prints a hint on stdout; the result is the last JSON line.
  const line = run.stdout
    .trim()
    .split('\n')
    .findLast((text) => text.startsWith('{'));
  if (run.status !== 0 || line === undefined) {
    throw new Error(`benchmark of ${family} failed (exit ${run.status})`);
  }
  return JSON.parse(line) as FamilyResult;
}

// Trains one family and times steps 2..steps by wall clock.
async function benchmarkFamily(spec: ParsedRunSpec): Promise<FamilyResult> {
  const backend = await resolveBackend();
  const dataset = createGeneratedDataset({ seed: 0, trainSize: 4_096, testSize: 64 });
  const checkpointDir = await mkdtemp(join(tmpdir(), 'hourglass-bench-'));
  let liveTensorBytes = tf.memory().numBytes;
  let firstStepDoneAt = 0;
  let lastStepDoneAt = 0;

  try {
    await trainRun({
      runId: `bench-${spec.model.family}`,
      spec,
      dataset,
      checkpointDir,
      logger: createSilentLogger(),
      onProgress: (step) => {
        lastStepDoneAt = performance.now();
        if (step === 1) firstStepDoneAt = lastStepDoneAt;
        liveTensorBytes = Math.max(liveTensorBytes, tf.memory().numBytes);
      },
    });
  } finally {
    await rm(checkpointDir, { recursive: true, force: true });
  }

  const seconds = (lastStepDoneAt - firstStepDoneAt) / 1000;
  return {
    family: spec.model.family,
    backend: backend.name,
    device: backend.device,
    steps,
    batchSize: BATCH_SIZE,
    imagesPerSecond: Math.round(((steps - 1) * BATCH_SIZE) / seconds),
    // maxRSS is in KiB: the process's peak, this family being all it ran.
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    liveTensorMiB: Math.round(liveTensorBytes / 2 ** 20),
  };
}

// PyTorch's images/s per family, or undefined (with a note on stderr) when
// torch is not importable or the script fails.
function runTorchReference(runSpecs: ParsedRunSpec[]): Map<string, number> | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    console.error(
      `PyTorch is not importable by ${PYTHON}; skipped the comparison ` +
        '(apt-get install -y python3-torch enables it)',
    );
    return undefined;
  }

  const input = JSON.stringify({
    steps,
    batchSize: BATCH_SIZE,
    imageSize: IMAGE_SIZE,
    learningRate: 1e-3,
    models: runSpecs.map((spec) => spec.model),
  });
  const run = spawnSync(PYTHON, [TORCH_SCRIPT], {
    input,
    encoding: 'utf8',
    maxBuffer: 16 * 2 ** 20,
  });
  if (run.status !== 0) {
    console.error(`torch-reference.py failed (${run.status}): ${run.stderr.trim()}`);
    return undefined;
  }

  const rates = new Map<string, number>();
  for (const line of run.stdout.trim().split('\n')) {
    const { family, imagesPerSecond } = JSON.parse(line) as {
      family: string;
      imagesPerSecond: number;
    };
    rates.set(family, imagesPerSecond);
  }
  return rates;
}
