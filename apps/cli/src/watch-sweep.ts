import type { ApiClient, SweepDetailRecord } from './api-client.ts';
import type { ProgressOutput } from './watch-run.ts';

function formatValue(value: unknown): string {
  return typeof value === 'number' ? String(Number(value.toPrecision(4))) : String(value);
}

function describeBest(sweep: SweepDetailRecord): string {
  const { metric, entries } = sweep.leaderboard;
  const best = entries[0];
  if (!best || best.value === null) return `best ${metric}: none yet`;
  const parameters = Object.entries(best.parameters)
    .map(([path, value]) => `${path}=${formatValue(value)}`)
    .join(' ');
  const run = best.runId.slice(0, 8);
  return `best ${metric} ${formatValue(best.value)} (run ${run} ${parameters})`.trimEnd();
}

/** One line of a sweep's progress: its status, runs per status, and its best run. */
export function describeSweepProgress(sweep: SweepDetailRecord): string {
  const { counts } = sweep;
  const finished = counts.succeeded + counts.failed + counts.cancelled + counts.stopped_early;
  const parts = [
    `${sweep.status.padEnd(9)} ${finished}/${sweep.runCount} finished`,
    `queued ${counts.queued} (held ${counts.held})`,
    `running ${counts.running}`,
    `succeeded ${counts.succeeded}`,
    `stopped early ${counts.stopped_early}`,
    `failed ${counts.failed}`,
    `cancelled ${counts.cancelled}`,
  ];
  return `${parts.join(', ')}; ${describeBest(sweep)}`;
}

/**
 * Follows a sweep until none of its runs is queued or running, showing
 * the runs per status and the best so far by the sweep's leaderboard
 * metric, and returns the sweep as it ended.
 */
export async function watchSweep(
  client: ApiClient,
  sweepId: string,
  output: ProgressOutput = process.stdout,
  pollMs = 2_000,
): Promise<SweepDetailRecord> {
  let lastLine = '';
  for (;;) {
    const sweep = await client.getSweep(sweepId);

    const line = describeSweepProgress(sweep);
    // A terminal line is cleared to its end, since a new one may be shorter.
    if (output.isTTY) output.write(`\r${line}\u001b[K`);
    else if (line !== lastLine) output.write(`${line}\n`);
    lastLine = line;

    if (sweep.counts.queued + sweep.counts.running === 0) {
      if (output.isTTY) output.write('\n');
      return sweep;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
