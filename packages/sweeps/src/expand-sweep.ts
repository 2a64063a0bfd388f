import {
  createRandom,
  deriveSeed,
  permutation,
  toFieldIssues,
  ValidationError,
  type FieldIssue,
} from '@hourglass/common';
import { RunSpec } from '@hourglass/specs';

import { countGridValues, listGridValues, sampleValue } from './parameter-values.ts';
import { draftRunSpec, findIneffectiveParameters } from './run-draft.ts';
import type { JsonValue, SweepSpec } from './sweep-spec.ts';

/** The values one run takes for the sweep's parameters, by path. */
export type ParameterValues = Record<string, JsonValue>;

/** One run of an expanded sweep. */
export interface SweepRun {
  /** The run's place in the expansion, from 0; runs are released in this order. */
  index: number;
  /** The varied parameters by path, and `seed` when the sweep lists seeds. */
  parameters: ParameterValues;
  /** The run's spec, validated, every default filled in. */
  spec: RunSpec;
}

/** A sweep that would make more runs than allowed; says how many. */
export class SweepTooLargeError extends ValidationError {
  readonly runCount: number;
  readonly maxRuns: number;

  constructor(runCount: number, maxRuns: number) {
    super('sweep spec', [
      {
        path: '(root)',
        message: `the sweep would make ${runCount} runs; at most ${maxRuns} are allowed`,
      },
    ]);
    this.runCount = runCount;
    this.maxRuns = maxRuns;
  }
}

/** At most this many distinct issues are reported for one sweep. */
const MAX_ISSUES = 20;

function countConfigurations(spec: SweepSpec): number {
  const sizes = Object.values(spec.parameters).map(countGridValues);
  const gridSize = sizes.reduce((product, size) => product * size, 1);
  return spec.strategy === 'random' ? (spec.trials ?? gridSize) : gridSize;
}

/**
 * How many runs a sweep makes: its configurations (the grid's size, or the
 * number of random trials) times its seeds. Computed without expanding.
 */
export function countSweepRuns(spec: SweepSpec): number {
  return countConfigurations(spec) * (spec.seeds?.length ?? 1);
}

function listGrid(spec: SweepSpec): ParameterValues[] {
  // The last parameter varies fastest, as in nested loops written in order.
  let grid: ParameterValues[] = [{}];
  for (const [path, parameter] of Object.entries(spec.parameters)) {
    const values = listGridValues(parameter);
    grid = grid.flatMap((partial) => values.map((value) => ({ ...partial, [path]: value })));
  }
  return grid;
}

/**
 * The sweep's configurations in order, before seeds. A grid lists every
 * combination. Random search draws `trials` configurations, each parameter
 * independently, from a generator seeded by `randomSeed`; without trials
 * (lists only) it runs every combination in a seeded random order.
 */
export function listConfigurations(spec: SweepSpec): ParameterValues[] {
  if (spec.strategy === 'grid') return listGrid(spec);

  const streamSeed = deriveSeed(spec.randomSeed, 'sweep-configurations');
  if (spec.trials === undefined) {
    const grid = listGrid(spec);
    return Array.from(permutation(grid.length, streamSeed), (index) => grid[index]!);
  }
  const random = createRandom(streamSeed);
  return Array.from({ length: spec.trials }, () => {
    const drawn: ParameterValues = {};
    for (const [path, parameter] of Object.entries(spec.parameters)) {
      drawn[path] = sampleValue(parameter, random);
    }
    return drawn;
  });
}

function runName(spec: SweepSpec, index: number): string {
  const base = typeof spec.base.name === 'string' ? spec.base.name : undefined;
  const prefix = (base ?? spec.name ?? 'sweep').slice(0, 190);
  return `${prefix} #${index + 1}`;
}

/** Which parameter made a field invalid: the one whose path holds the field. */
function findParameter(paths: readonly string[], field: string): string | undefined {
  const holders = paths.filter(
    (path) =>
      field === path || field.startsWith(`${path}.`) || path.startsWith(`${field}.`),
  );
  return holders.sort((a, b) => b.length - a.length)[0];
}

/** Where a parameter is written in the sweep spec: `seed` comes from `seeds`. */
function locateParameter(spec: SweepSpec, path: string): string {
  return path === 'seed' && spec.seeds ? 'seeds' : `parameters.${path}`;
}

function describeIssue(
  spec: SweepSpec,
  parameters: ParameterValues,
  issue: FieldIssue,
): FieldIssue {
  const parameter = findParameter(Object.keys(parameters), issue.path);
  if (parameter === undefined) return { path: `base.${issue.path}`, message: issue.message };
  const value = JSON.stringify(parameters[parameter]);
  return {
    path: locateParameter(spec, parameter),
    message: `${value} makes ${issue.path} invalid: ${issue.message}`,
  };
}

/**
 * Expands a sweep into its runs: each configuration once per seed (seeds
 * vary fastest), each spec the base with the parameters written in (see
 * draftRunSpec) and a name `<base or sweep name> #<n>`, validated as a
 * RunSpec. Throws SweepTooLargeError, before expanding anything, when there
 * would be more than `maxRuns` runs, and ValidationError naming the
 * parameter and the field when a value makes a spec invalid or is dropped
 * by it.
 */
export function expandSweep(spec: SweepSpec, options: { maxRuns: number }): SweepRun[] {
  const runCount = countSweepRuns(spec);
  if (runCount > options.maxRuns) throw new SweepTooLargeError(runCount, options.maxRuns);

  const runs: SweepRun[] = [];
  const issues = new Map<string, FieldIssue>();
  let index = 0;
  for (const configuration of listConfigurations(spec)) {
    for (const seed of spec.seeds ?? [undefined]) {
      const parameters = seed === undefined ? configuration : { ...configuration, seed };
      const draft = draftRunSpec(spec.base, parameters);
      if (!('name' in parameters)) draft.name = runName(spec, index);
      const parsed = RunSpec.safeParse(draft);
      if (parsed.success) {
        for (const path of findIneffectiveParameters(parameters, parsed.data)) {
          const issue = {
            path: locateParameter(spec, path),
            message: 'has no effect: the run spec has no such field here',
          };
          issues.set(`${issue.path} ${issue.message}`, issue);
        }
        runs.push({ index, parameters, spec: parsed.data });
      } else {
        for (const issue of toFieldIssues(parsed.error)) {
          const described = describeIssue(spec, parameters, issue);
          issues.set(`${described.path} ${described.message}`, described);
        }
      }
      index += 1;
    }
  }

  if (issues.size > 0) {
    throw new ValidationError('sweep spec', [...issues.values()].slice(0, MAX_ISSUES));
  }
  return runs;
}
