#!/usr/bin/env node
// Runs the Prisma CLI, offline or online.
//
// The CLI's native engines are downloaded by an install script from a host
// outside the npm registry. Where that download did not happen (offline
// machines, or npm's install-script policy), the CLI still refuses to start
// unless engine files exist, although on our path (the JS query compiler and
// the pg driver adapter from prisma.config.ts) they are never executed. So
// when the real files are absent we point the CLI at a placeholder file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const enginesDir = dirname(require.resolve('@prisma/engines/package.json'));

function hasNativeEngines() {
  return readdirSync(enginesDir).some((name) => name.startsWith('schema-engine'));
}

export function prismaEnvironment() {
  const env = { ...process.env };
  env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/hourglass';
  env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
  if (!hasNativeEngines()) {
    const placeholder = join(root, 'node_modules', '.cache', 'prisma-engine-placeholder');
    mkdirSync(dirname(placeholder), { recursive: true });
    if (!existsSync(placeholder)) writeFileSync(placeholder, '');
    env.PRISMA_SCHEMA_ENGINE_BINARY ??= placeholder;
    env.PRISMA_QUERY_ENGINE_LIBRARY ??= placeholder;
    env.PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING = '1';
    env.HOURGLASS_PRISMA_OFFLINE = '1';
  }
  return env;
}

export function runPrisma(args) {
  const cli = require.resolve('prisma/build/index.js');
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    env: prismaEnvironment(),
    stdio: 'inherit',
  });
  return result.status ?? 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exit(runPrisma(process.argv.slice(2)));
}
