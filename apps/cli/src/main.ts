#!/usr/bin/env node
/**
 * The hourglass command line: run the demo, start the API or a worker,
 * submit a run or a sweep from a JSON or YAML file and follow it.
 */
import { parseArgs } from 'node:util';

import { HourglassError } from '@hourglass/common';

import { ApiClient } from './api-client.ts';
import { runDemo } from './demo.ts';
import { makeReport } from './report-command.ts';
import { readSpecFile } from './spec-file.ts';
import { watchRun } from './watch-run.ts';
import { watchSweep } from './watch-sweep.ts';

const USAGE = `usage: hourglass <command> [options]

commands:
  demo                   start an API and a worker here, train one small run, check it
  api                    start the REST API (HOST, PORT, DATABASE_URL, REDIS_URL)
  worker                 start a training worker (DATABASE_URL, REDIS_URL, ARTIFACT_DIR)
  submit <spec.json>     submit a run (JSON or YAML); --watch to follow it until it ends
  watch <run-id>         follow a run until it ends
  sweep <sweep.yaml>     submit a sweep (YAML or JSON); --watch to follow it until it ends
  watch-sweep <sweep-id> follow a sweep until every run has finished
  report <id...>         write an HTML lab report comparing the runs of these sweeps and runs

options:
  --api <url>            the API to talk to (default $HOURGLASS_API_URL or http://127.0.0.1:8080)
  --watch                with submit or sweep: follow what was submitted
  --out <dir>            with report: the folder to write it to (default reports/<date-time>)
  -h, --help             show this text`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      api: { type: 'string' },
      watch: { type: 'boolean', default: false },
      out: { type: 'string' },
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
    case 'sweep': {
      if (!argument) throw new HourglassError('HG_USAGE', 'sweep needs a sweep file');
      const sweep = await client.submitSweep(await readSpecFile(argument));
      console.log(`${sweep.id} (${sweep.runCount} runs)`);
      if (!values.watch) return 0;
      return exitCodeOf(await watchSweep(client, sweep.id));
    }
    case 'watch-sweep': {
      if (!argument) throw new HourglassError('HG_USAGE', 'watch-sweep needs a sweep id');
      return exitCodeOf(await watchSweep(client, argument));
    }
    case 'report': {
      const options = values.out === undefined ? {} : { outDir: values.out };
      const written = await makeReport(client, positionals.slice(1), options);
      console.log(`${written.htmlPath} (${written.figurePaths.length} figures beside it)`);
      return 0;
    }
    default:
      console.error(`unknown command ${command}\n\n${USAGE}`);
      return 2;
  }
}

/** A sweep that ended with every run succeeded or stopped early exits 0. */
function exitCodeOf(sweep: { counts: { failed: number; cancelled: number } }): number {
  return sweep.counts.failed + sweep.counts.cancelled === 0 ? 0 : 1;
}

try {
  const code = await main(process.argv.slice(2));
  // api and worker keep running until a signal; every other command exits.
  if (code >= 0) process.exit(code);
} catch (error) {
  console.error(`hourglass: ${(error as Error).message}`);
  process.exit(1);
}
