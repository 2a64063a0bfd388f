import type { ApiClient, EvaluationRecord } from './api-client.ts';
import type { ProgressOutput } from './watch-run.ts';

const SETTLED = new Set(['succeeded', 'failed']);

/**
 * Waits until every evaluation of a finished run has settled (succeeded
 * or failed), showing how many have, and returns the rows.
 */
export async function waitForEvaluations(
  client: ApiClient,
  runId: string,
  output: ProgressOutput = process.stdout,
  pollMs = 1_000,
): Promise<EvaluationRecord[]> {
  let lastLine = '';
  for (;;) {
    const rows = await client.listEvaluations(runId);
    // A pending evaluation is one row until its results (one per layer) replace it.
    const isSettled = new Map<string, boolean>();
    for (const row of rows) {
      const key = `${row.step} ${row.kind}`;
      isSettled.set(key, (isSettled.get(key) ?? true) && SETTLED.has(row.status));
    }
    const settled = [...isSettled.values()].filter(Boolean).length;
    const line = `evaluations: ${settled} of ${isSettled.size} done`;
    if (output.isTTY) output.write(`\r${line}`);
    else if (line !== lastLine) output.write(`${line}\n`);
    lastLine = line;

    if (settled === isSettled.size) {
      if (output.isTTY) output.write('\n');
      return rows;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
