/**
 * The data package's benchmarks (`npm run bench -w @hourglass/data`), not
 * tests: each variant runs in its own process, so its peak memory is its
 * own, and prints one JSON line.
 *
 *   npm run bench -w @hourglass/data -- [cifar-dir] [jpeg-count]
 *
 * `cifar-dir` defaults to ../shared/data/cifar10 next to the repository
 * root; the JPEG folder (default 2,560 images) is built from it once.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { makeJpegFolder } from './make-jpeg-folder.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const cifarDir = resolve(process.argv[2] ?? resolve(repoRoot, '../shared/data/cifar10'));
const jpegCount = Number(process.argv[3] ?? 2560);
const here = fileURLToPath(new URL('.', import.meta.url));

function run(script: string, args: string[]): void {
  const result = spawnSync(process.execPath, ['--import', 'tsx', resolve(here, script), ...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) process.exitCode = 1;
}

run('read-cifar.ts', [cifarDir]);

const folder = await makeJpegFolder(cifarDir, jpegCount);
const cores = availableParallelism();
for (const concurrency of [cores, cores + 1, cores + 2]) {
  run('decode-folder.ts', [folder, '64', String(concurrency), 'augment']);
}
run('decode-folder.ts', [folder, '64', String(cores + 1), 'center']);
