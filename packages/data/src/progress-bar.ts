/**
 * Shows a download's progress in a terminal: a bar redrawn in place when
 * the output is a terminal, otherwise a plain line every tenth of the
 * way, so a log file gets ten lines rather than thousands.
 */
import type { DownloadProgress } from './cifar10-download.ts';

const MIB = 1024 * 1024;

/**
 * One line: `[########------------]  40.0%  68.0 / 162.2 MiB`, or just
 * the MiB received when the total is unknown. `width` is the bar's inside.
 */
export function renderProgressBar(progress: DownloadProgress, width = 30): string {
  const received = (progress.receivedBytes / MIB).toFixed(1);
  const total = progress.totalBytes;
  if (total === undefined || total <= 0) return `${received} MiB`;

  const fraction = Math.min(1, progress.receivedBytes / total);
  const filled = Math.round(fraction * width);
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  const percent = (fraction * 100).toFixed(1).padStart(5);
  return `[${bar}] ${percent}%  ${received} / ${(total / MIB).toFixed(1)} MiB`;
}

/** Where a printer writes; process.stderr by default. */
export interface ProgressOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * A DownloadProgress callback that draws on `output`: on a terminal it
 * redraws at most every `minIntervalMs` and always at the end; elsewhere
 * prints a line at each further tenth (each 10 MiB when the total is
 * unknown). `label` starts every line.
 */
export function createProgressPrinter(
  label: string,
  output: ProgressOutput = process.stderr,
  minIntervalMs = 100,
): (progress: DownloadProgress) => void {
  let lastDrawMs = -Infinity;
  let lastStep = -1;

  return (progress) => {
    const total = progress.totalBytes;
    const isDone = total !== undefined && progress.receivedBytes >= total;
    const line = `${label} ${renderProgressBar(progress)}`;

    if (output.isTTY === true) {
      const nowMs = performance.now();
      if (!isDone && nowMs - lastDrawMs < minIntervalMs) return;
      lastDrawMs = nowMs;
      // \r returns to the line's start; \x1b[K clears what was longer.
      output.write(`\r${line}\x1b[K${isDone ? '\n' : ''}`);
      return;
    }

    // Without a total, a line every 10 MiB instead.
    const step = total
      ? Math.floor((progress.receivedBytes / total) * 10)
      : Math.floor(progress.receivedBytes / (10 * MIB));
    if (step > lastStep) {
      lastStep = step;
      output.write(`${line}\n`);
    }
  };
}
