/**
 * Benchmark, not a test: loads the real CIFAR-10 and prints one JSON line
 * with how long it took and how much memory it needed.
 *
 *   node --import tsx packages/data/bench/read-cifar.ts [dir]
 *
 * `dir` defaults to ../shared/data/cifar10 next to the repository root.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { computeChannelStatistics } from '../src/channel-statistics.ts';
import { readCifar10 } from '../src/cifar10-reader.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const dir = resolve(process.argv[2] ?? resolve(repoRoot, '../shared/data/cifar10'));

const startedMs = performance.now();
const dataset = await readCifar10(dir);
const seconds = (performance.now() - startedMs) / 1000;
// loadDataset also computes the training split's channel statistics.
const statisticsStartedMs = performance.now();
computeChannelStatistics(dataset.train);
const statisticsSeconds = (performance.now() - statisticsStartedMs) / 1000;

const images = dataset.train.count + dataset.test.count;
// maxRSS is in KiB on Linux and macOS.
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
console.log(
  JSON.stringify({
    bench: 'read-cifar10',
    images,
    seconds: Number(seconds.toFixed(3)),
    imagesPerSecond: Math.round(images / seconds),
    statisticsSeconds: Number(statisticsSeconds.toFixed(3)),
    peakRssMiB: Math.round(peakRssMiB),
  }),
);
