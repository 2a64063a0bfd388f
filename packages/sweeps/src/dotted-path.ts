import type { JsonValue } from './sweep-spec.ts';

type JsonObject = Record<string, JsonValue>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why a parameter's path cannot be written into the base spec. */
export class PathConflict extends Error {}

/**
 * Writes `value` at a dotted path inside `target`, creating the objects on
 * the way. Throws PathConflict when the path runs through a value that is
 * not an object (a string, a number, a list). `target` is changed in place:
 * callers pass a copy.
 */
export function setAtPath(target: JsonObject, path: string, value: JsonValue): void {
  const segments = path.split('.');
  let current = target;
  for (const [index, segment] of segments.slice(0, -1).entries()) {
    const next = Object.hasOwn(current, segment) ? current[segment] : undefined;
    if (next === undefined) {
      const created: JsonObject = {};
      current[segment] = created;
      current = created;
    } else if (isObject(next)) {
      current = next;
    } else {
      const at = segments.slice(0, index + 1).join('.');
      throw new PathConflict(`${at} is ${JSON.stringify(next)}, not an object`);
    }
  }
  current[segments.at(-1)!] = value;
}

/** The value at a dotted path inside `source`, or undefined if absent. */
export function getAtPath(source: unknown, path: string): unknown {
  let current = source;
  for (const segment of path.split('.')) {
    if (!isObject(current) || !Object.hasOwn(current, segment)) return undefined;
    current = current[segment];
  }
  return current;
}
