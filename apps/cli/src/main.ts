#!/usr/bin/env node
/**
 * The hourglass command line: run the demo, start the API or a worker,
 * submit a run from a JSON file and follow it.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

import { HourglassError } from '@hourglass/common';

import { ApiClient } from './api-client.ts';
import { runDemo } from './demo.ts';
import { watchRun } from './watch-run.ts';

const USAGE = `usage: hourglass <command> [options]

commands:
  demo                   start an API and a worker here, train one small run, check it
  api                    start the REST API (HOST, PORT, DATABASE_URL, REDIS_URL)
  worker                 start a training worker (DATABASE_URL, REDIS_URL, ARTIFACT_DIR)
  submit <spec.json>     submit a run; --watch to follow it until it ends
  watch <run-id>         follow a run until it ends

options:
  --api <url>            the API to talk to (default $HOURGLASS_API_URL or http://127.0.0.1:8080)
  --watch                with submit: follow the run
  -h, --help             show this text`;

async function readSpecFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new HourglassError('HG_FILE', `cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HourglassError('HG_FILE', `${path} is not valid JSON: ${(error as Error).message}`);
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      api: { type: 'string' },
      watch: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, argument] = positionals;
  const client = new ApiClient(
    values.api ?? process.env.HOURGLASS_API_URL ?? 'http://127.0.0.1:8080',
  );

  if (values.help || command === undefined) {
    console.log(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  switch (command) {
    case 'demo':
      return runDemo();
    case 'api':
      await import('@hourglass/api/main');
      return -1;
    case 'worker':
      await import('@hourglass/worker/main');
      return -1;
    case 'submit': {
      if (!argument) throw new HourglassError('HG_USAGE', 'submit needs a spec file');
      const run = await client.submitRun(await readSpecFile(argument));
      console.log(run.id);
      if (!values.watch) return 0;
      const finished = await watchRun(client, run.id);
      return finished.status === 'succeeded' ? 0 : 1;
    }
    case 'watch': {
      if (!argument) throw new HourglassError('HG_USAGE', 'watch needs a run id');
      const finished = await watchRun(client, argument);
      return finished.status === 'succeeded' ? 0 : 1;
    }
    default:
      console.error(`unknown command ${command}\n\n${USAGE}`);
      return 2;
  }
}

try {
  const code = await main(process.argv.slice(2));
  // api and worker keep running until a signal; every other command exits.
  if (code >= 0) process.exit(code);
} catch (error) {
  console.error(`hourglass: ${(error as Error).message}`);
  process.exit(1);
}
