import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

import type { Database } from '@hourglass/db';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

/** A worker running as its own process, as in production. */
export interface WorkerProcess {
  id: string;
  child: ChildProcess;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string>;
}

/** Starts `src/main.ts` with the given environment and waits until it has registered. */
export async function startWorkerProcess(
  db: Database,
  id: string,
  env: Record<string, string>,
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', TSX, MAIN], {
    env: { ...process.env, LOG_LEVEL: 'warn', WORKER_ID: id, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);

  const deadline = Date.now() + 30_000;
  for (;;) {
    const row = await db.worker.findUnique({ where: { id } });
    if (row?.status === 'online' && row.pid === child.pid) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`worker ${id} did not start`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { id, child, exited };
}
