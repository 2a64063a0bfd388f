/**
 * Downloads CIFAR-10 into a folder, with a progress bar, from the command
 * line (the CLI's `download` command can call downloadCifar10 the same
 * way):
 *
 *   npm run download:cifar10 -w @hourglass/data -- [dir] [--url URL] [--sha256 HEX]
 *
 * `dir` defaults to HOURGLASS_CIFAR10_DIR, else ./data/cifar10. Prints the
 * folder's path when it is ready; exits 1 with the error's message if not.
 */
import { parseArgs } from 'node:util';

import { HourglassError } from '@hourglass/common';

import { resolveCifar10DownloadDir } from '../src/cifar10-dir.ts';
import { downloadCifar10 } from '../src/cifar10-download.ts';
import { createProgressPrinter } from '../src/progress-bar.ts';

const { values, positionals } = parseArgs({
  options: { url: { type: 'string' }, sha256: { type: 'string' } },
  allowPositionals: true,
});

try {
  const result = await downloadCifar10({
    cacheDir: resolveCifar10DownloadDir(positionals[0]),
    url: values.url,
    sha256: values.sha256,
    onProgress: createProgressPrinter('cifar-10-binary.tar.gz'),
  });
  const verb = result.isDownloaded ? 'downloaded into' : 'already in';
  console.log(`CIFAR-10 ${verb} ${result.dir}`);
} catch (error) {
  const message = error instanceof HourglassError ? error.message : String(error);
  console.error(`download failed: ${message}`);
  process.exitCode = 1;
}
