import { ValidationError } from '@hourglass/common';
import { RunSpec } from '@hourglass/specs';

import { getAtPath, PathConflict, setAtPath } from './dotted-path.ts';
import type { JsonValue } from './sweep-spec.ts';

type JsonObject = Record<string, JsonValue>;

/**
 * The default of a top-level run spec field, when it has one that is an
 * object (the optimizer, the dataset, the schedules).
 */
function defaultObject(field: string): JsonObject | undefined {
  const shape = RunSpec.shape as Record<string, { safeParse(value: unknown): unknown }>;
  if (!Object.hasOwn(shape, field)) return undefined;
  const parsed = shape[field]!.safeParse(undefined) as { success: boolean; data?: unknown };
  const isObject = typeof parsed.data === 'object' && parsed.data !== null;
  return parsed.success && isObject ? (parsed.data as JsonObject) : undefined;
}

/**
 * A run spec before validation: a copy of the base with each parameter
 * written at its path. A parameter inside a field the base leaves out
 * starts from that field's default, so `optimizer.learningRate` alone
 * means the default optimizer (Adam) at that rate. Throws ValidationError
 * naming the parameter when its path runs through a value that is not an
 * object.
 */
export function draftRunSpec(
  base: JsonObject,
  parameters: Record<string, JsonValue>,
): JsonObject {
  const draft = structuredClone(base);
  for (const [path, value] of Object.entries(parameters)) {
    const [field] = path.split('.');
    if (path.includes('.') && !Object.hasOwn(draft, field!)) {
      const fallback = defaultObject(field!);
      if (fallback) draft[field!] = fallback;
    }
    try {
      setAtPath(draft, path, value);
    } catch (error) {
      // The base's shape is the same for every run: one report is enough.
      if (!(error instanceof PathConflict)) throw error;
      throw new ValidationError('sweep spec', [
        { path: `parameters.${path}`, message: `cannot be set: ${error.message}` },
      ]);
    }
  }
  return draft;
}

/** Whether every part of `given` is found, equal, in `parsed`. */
function isContainedIn(given: unknown, parsed: unknown): boolean {
  if (Array.isArray(given)) {
    return (
      Array.isArray(parsed) &&
      parsed.length === given.length &&
      given.every((item, index) => isContainedIn(item, parsed[index]))
    );
  }
  if (typeof given === 'object' && given !== null) {
    if (typeof parsed !== 'object' || parsed === null) return false;
    return Object.entries(given).every(([key, item]) =>
      isContainedIn(item, (parsed as Record<string, unknown>)[key]),
    );
  }
  return Object.is(given, parsed);
}

/**
 * The parameters whose value did not land in the parsed spec. The run spec
 * drops fields it does not know, so a misspelt path, or a field of another
 * variant (`warmupSteps` of a constant schedule), would otherwise make a
 * sweep of identical runs.
 */
export function findIneffectiveParameters(
  parameters: Record<string, JsonValue>,
  parsed: RunSpec,
): string[] {
  return Object.entries(parameters)
    .filter(([path, value]) => !isContainedIn(value, getAtPath(parsed, path)))
    .map(([path]) => path);
}
