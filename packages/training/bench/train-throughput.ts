/**
 * Training throughput per model family: trains each for a fixed number of
 * steps on 32x32 generated images, batch 64, on the backend the resolver
 * picks, and prints one JSON line per family. Not a test: figures depend
 * on the machine and on what else it is doing.
 *
 *   npm run bench:train -- [steps]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createSilentLogger } from '@hourglass/common';
import { resolveBackend } from '@hourglass/compute';
import { createGeneratedDataset } from '@hourglass/data';
import { RunSpec, type ModelSpec } from '@hourglass/specs';

import { trainRun } from '../src/index.ts';

const BATCH_SIZE = 64;
const FAMILIES: ModelSpec[] = [
  {
    family: 'shallow-ae',
    channels: 64,
    kernelSize: 7,
    stride: 16,
    decoderKernelSize: 16,
    activation: 'relu',
  },
];

const steps = Number(process.argv[2] ?? 100);
const backend = await resolveBackend();
const dataset = createGeneratedDataset({ seed: 0, trainSize: 4_096, testSize: 64 });
const checkpointDir = await mkdtemp(join(tmpdir(), 'hourglass-bench-'));

try {
  for (const model of FAMILIES) {
    const spec = RunSpec.parse({
      model,
      batchSize: BATCH_SIZE,
      schedule: { unit: 'steps', steps },
      checkpointEverySteps: steps * 10,
    });
    let peakRssBytes = process.memoryUsage().rss;
    const result = await trainRun({
      runId: `bench-${model.family}`,
      spec,
      dataset,
      checkpointDir,
      logger: createSilentLogger(),
      onProgress: () => {
        peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss);
      },
    });
    console.log(
      JSON.stringify({
        family: model.family,
        backend: backend.name,
        device: backend.device,
        steps,
        batchSize: BATCH_SIZE,
        imagesPerSecond: Math.round(result.imagesPerSecond),
        peakRssMiB: Math.round(peakRssBytes / 2 ** 20),
      }),
    );
  }
} finally {
  await rm(checkpointDir, { recursive: true, force: true });
}
