#!/usr/bin/env node
// The test command: prepares the database (generates the Prisma client,
// applies migrations), runs lint, typecheck and every workspace's tests
// through turbo, and ends with one line counting the tests of all
// workspaces together, since turbo prints each workspace's own count.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const setup = spawnSync(npm, ['run', 'setup'], { stdio: 'inherit' });
if (setup.status !== 0) process.exit(setup.status ?? 1);

const turbo = spawn(
  'npx',
  ['turbo', 'run', 'lint', 'typecheck', 'test', '--concurrency=2', ...process.argv.slice(2)],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { TURBO_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'warn', ...process.env },
  },
);

const totals = { pass: 0, fail: 0, skipped: 0, todo: 0 };
const counter = /(?:#|ℹ) (pass|fail|skipped|todo) (\d+)\s*$/;
createInterface({ input: turbo.stdout }).on('line', (line) => {
  process.stdout.write(`${line}\n`);
  const match = counter.exec(line);
  if (match) totals[match[1]] += Number(match[2]);
});

turbo.on('close', (code) => {
  const extras = totals.skipped + totals.todo;
  const skipped = extras > 0 ? `, ${extras} skipped` : '';
  console.log(`\ntests: ${totals.pass} passed, ${totals.fail} failed${skipped}`);
  process.exit(code ?? 1);
});
