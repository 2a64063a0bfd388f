#!/usr/bin/env node
// Runs a workspace's tests with node's own runner: `*.test.ts` beside the code in
// src/ and the service-backed tests in test/. Node 20's runner cannot expand globs
// or load TypeScript itself, so this finds the files and loads tsx.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTests(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = [...findTests('src'), ...findTests('test')].sort();
if (files.length === 0) {
  console.log('no tests in this workspace');
  process.exit(0);
}

const concurrency = process.env.HOURGLASS_TEST_CONCURRENCY ?? '1';
// --test-force-exit: a test file whose assertions all passed must not hang CI
// because a library left a socket open during teardown (seen, rarely, with
// pg pools whose connections a test had cut). Every file still closes what
// it opened; this only bounds the rare case where a close does not finish.
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-force-exit',
    `--test-concurrency=${concurrency}`,
    ...process.argv.slice(2),
    ...files,
  ],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
