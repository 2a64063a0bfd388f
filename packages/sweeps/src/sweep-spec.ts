import { z } from 'zod';

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A dotted path into a run spec, such as `optimizer.learningRate`. Segments
 * are plain identifiers; the names that reach an object's prototype are
 * refused, since a path is used to write into a copy of the base spec.
 */
export const ParameterPath = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/,
    'expected a dotted path of identifiers, such as optimizer.learningRate',
  )
  .refine(
    (path) => !path.split('.').some((segment) => FORBIDDEN_SEGMENTS.has(segment)),
    'a path may not name __proto__, constructor or prototype',
  );

// Values are any JSON; z.unknown rather than z.json keeps the OpenAPI
// document free of the recursive $ref that z.json produces.
/** Explicit values of a parameter, tried in the order given. */
export const ValueList = z.array(z.unknown()).min(1).max(10_000);

/**
 * A numeric range. `uniform` and `log-uniform` give floats, `integer` gives
 * whole numbers, min and max included. A grid takes `steps` evenly spaced
 * points (evenly in log space for log-uniform; an integer range without
 * steps takes every integer); random search samples the distribution.
 */
export const RangeSpec = z
  .object({
    distribution: z.enum(['uniform', 'log-uniform', 'integer']),
    min: z.number(),
    max: z.number(),
    steps: z.number().int().min(1).max(10_000).optional(),
  })
  .strict()
  .superRefine((range, context) => {
    if (range.min > range.max) {
      context.addIssue({ code: 'custom', path: ['max'], message: 'must be at least min' });
    }
    if (range.distribution === 'log-uniform' && range.min <= 0) {
      context.addIssue({
        code: 'custom',
        path: ['min'],
        message: 'a log-uniform range needs min > 0',
      });
    }
    if (range.distribution === 'integer') {
      for (const bound of ['min', 'max'] as const) {
        if (!Number.isInteger(range[bound])) {
          context.addIssue({
            code: 'custom',
            path: [bound],
            message: 'an integer range needs whole-number bounds',
          });
        }
      }
    }
  });

/** What one parameter takes: a list of values or a numeric range. */
export const ParameterSpec = z.union([ValueList, RangeSpec], {
  error: 'expected a list of values or a range { distribution, min, max, steps }',
});

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020): rungs at
 * minSteps, minSteps * eta, minSteps * eta^2, ... below the run's total
 * steps. A run reaching a rung goes on only if its metric there (the mean
 * of its last `window` logged values) is in the top 1/eta of the sweep's
 * runs that have reached that rung so far; otherwise it stops early.
 */
export const EarlyStoppingSpec = z.object({
  kind: z.literal('asha').default('asha'),
  /** A metric the trainer logs every step, such as `loss/total`. */
  metric: z.string().min(1).max(200).default('loss/total'),
  /** Whether smaller (`min`) or larger (`max`) values are better. */
  mode: z.enum(['min', 'max']).default('min'),
  /** The first rung, in steps. */
  minSteps: z.number().int().positive(),
  /** eta: rungs grow by this factor and 1/eta of the runs go on. */
  reductionFactor: z.number().int().min(2).max(100).default(3),
  /** How many of the last logged values at a rung are averaged. */
  window: z.number().int().min(1).max(1_000).default(5),
});
export type EarlyStoppingSpec = z.output<typeof EarlyStoppingSpec>;

const SweepSpecFields = z.object({
  name: z.string().min(1).max(200).optional(),
  /** A run spec; the parameters write into copies of it. */
  base: z.record(z.string(), z.unknown()),
  /** Parameters by dotted path into the run spec. */
  parameters: z.record(ParameterPath, ParameterSpec).default({}),
  strategy: z.enum(['grid', 'random']).default('grid'),
  /** Random search: how many configurations to draw. */
  trials: z.number().int().min(1).max(100_000).optional(),
  /** Seeds the random strategy's draws, so a sweep expands the same way twice. */
  randomSeed: z.number().int().nonnegative().max(2 ** 32 - 1).default(0),
  /** Each configuration runs once per seed, which becomes the run's `seed`. */
  seeds: z.array(z.number().int().nonnegative().max(2 ** 32 - 1)).min(1).max(1_000).optional(),
  /** At most this many runs of the sweep queued or training at once; absent: no limit. */
  maxConcurrent: z.number().int().min(1).max(10_000).optional(),
  /** 1 to 100; a sweep with a higher priority is trained first. */
  priority: z.number().int().min(1).max(100).default(50),
  earlyStopping: EarlyStoppingSpec.optional(),
});

type SweepSpecShape = z.output<typeof SweepSpecFields>;
type Context = z.core.$RefinementCtx<SweepSpecShape>;

function checkStrategy(spec: SweepSpecShape, context: Context): void {
  const ranges = Object.entries(spec.parameters).filter(([, parameter]) => {
    return !Array.isArray(parameter);
  });
  if (spec.strategy === 'grid') {
    if (spec.trials !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['trials'],
        message: 'trials applies to random search; a grid runs every combination',
      });
    }
    for (const [path, range] of ranges) {
      if (!Array.isArray(range) && range.steps === undefined && range.distribution !== 'integer') {
        context.addIssue({
          code: 'custom',
          path: ['parameters', path, 'steps'],
          message: 'a grid over a range needs steps',
        });
      }
    }
  } else if (ranges.length > 0 && spec.trials === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['trials'],
      message: 'random search over a range needs trials',
    });
  }
}

function checkPaths(spec: SweepSpecShape, context: Context): void {
  const paths = Object.keys(spec.parameters);
  for (const path of paths) {
    // One path inside another would make the result depend on their order.
    const outer = paths.find((other) => path.startsWith(`${other}.`));
    if (outer) {
      context.addIssue({
        code: 'custom',
        path: ['parameters', path],
        message: `lies inside parameter ${outer}; vary one or the other`,
      });
    }
  }
  if (spec.seeds && 'seed' in spec.parameters) {
    context.addIssue({
      code: 'custom',
      path: ['seeds'],
      message: 'seeds sets each run\'s seed, which parameter "seed" also sets',
    });
  }
  if (spec.seeds && new Set(spec.seeds).size !== spec.seeds.length) {
    context.addIssue({ code: 'custom', path: ['seeds'], message: 'seeds repeat' });
  }
}

/**
 * A sweep: a base run spec, a search space over dotted paths into it, how
 * the space is searched, how many runs may train at once, and early
 * stopping. It expands into runs with `expandSweep`.
 */
export const SweepSpec = SweepSpecFields.superRefine((spec, context) => {
  checkStrategy(spec, context);
  checkPaths(spec, context);
});

/** A sweep spec as stored: every default filled in. */
export type SweepSpec = z.output<typeof SweepSpec>;
/** A sweep spec as a user may write it. */
export type SweepSpecInput = z.input<typeof SweepSpec>;
/** What one parameter takes, parsed. */
export type ParameterSpec = z.output<typeof ParameterSpec>;
/** A numeric range, parsed. */
export type RangeSpec = z.output<typeof RangeSpec>;
/** A value read from a JSON or YAML document, as parameter values are. */
export type JsonValue = unknown;
