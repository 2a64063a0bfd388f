import type { ApiClient, RunRecord } from './api-client.ts';

const FINISHED = new Set(['succeeded', 'failed', 'cancelled', 'stopped_early']);
const BAR_WIDTH = 30;

/** Where progress goes; a terminal gets one redrawn line, a log gets lines. */
export interface ProgressOutput {
  write(text: string): void;
  isTTY?: boolean;
}

function describeProgress(run: RunRecord, loss: number | undefined): string {
  const total = run.totalSteps ?? 0;
  const fraction = total > 0 ? Math.min(run.step / total, 1) : 0;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = '#'.repeat(filled) + '-'.repeat(BAR_WIDTH - filled);
  const lossText = loss === undefined ? '' : `  loss ${loss.toPrecision(4)}`;
  return `${run.status.padEnd(9)} [${bar}] step ${run.step}/${total || '?'}${lossText}`;
}

/**
 * Follows a run until it finishes, showing its step and latest training
 * loss, and returns the finished run.
 */
export async function watchRun(
  client: ApiClient,
  runId: string,
  output: ProgressOutput = process.stdout,
  pollMs = 1_000,
): Promise<RunRecord> {
  let lastLine = '';
  let lastLoss: number | undefined;
  let lastLossStep = -1;
  for (;;) {
    const run = await client.getRun(runId);
    const points = await client.listMetrics(runId, 'loss/total', lastLossStep);
    const newest = points.at(-1);
    if (newest) {
      lastLoss = newest.value;
      lastLossStep = newest.step;
    }

    const line = describeProgress(run, lastLoss);
    if (output.isTTY) output.write(`\r${line}`);
    else if (line !== lastLine) output.write(`${line}\n`);
    lastLine = line;

    if (FINISHED.has(run.status)) {
      if (output.isTTY) output.write('\n');
      return run;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
