/**
 * Benchmark, not a test: streams every image of a folder once through a
 * BatchSource (as training would read it) and prints one JSON line with
 * images per second, CPU per image and peak memory.
 *
 *   node --import tsx bench/decode-folder.ts <folder> [size] [concurrency] [augment]
 */
import { openImageFolder } from '../src/image-folder-dataset.ts';
import { BatchSource } from '../src/batch-source.ts';

const [folder, sizeText = '64', concurrencyText = '3', augmentText = 'augment'] =
  process.argv.slice(2);
if (folder === undefined) throw new Error('usage: decode-folder.ts <folder> [size] [n] [augment]');
const imageSize = Number(sizeText);
const decodeConcurrency = Number(concurrencyText);
const augment = augmentText === 'augment';
const batchSize = 64;

const dataset = await openImageFolder({ path: folder, imageSize, decodeConcurrency, augment });
const startedMs = performance.now();
const startedUsage = process.resourceUsage();
const source = new BatchSource({ source: dataset.train, batchSize, seed: 0 });
let images = 0;
for (let i = 0; i < source.batchesPerEpoch; i += 1) {
  images += (await source.nextBatch()).shape[0];
}
await source.close();

const seconds = (performance.now() - startedMs) / 1000;
const usage = process.resourceUsage();
const cpuMicroseconds =
  usage.userCPUTime - startedUsage.userCPUTime + (usage.systemCPUTime - startedUsage.systemCPUTime);
const cpuMs = cpuMicroseconds / 1000;
console.log(
  JSON.stringify({
    bench: 'decode-folder',
    images,
    imageSize,
    augment,
    decodeConcurrency,
    readAheadBatches: source.readAheadBatches,
    seconds: Number(seconds.toFixed(3)),
    imagesPerSecond: Math.round(images / seconds),
    cpuMsPerImage: Number((cpuMs / images).toFixed(3)),
    // maxRSS is in KiB on Linux and macOS.
    peakRssMiB: Math.round(usage.maxRSS / 1024),
  }),
);
