/**
 * A short identity for a run spec, stored in every checkpoint so that a
 * checkpoint is never resumed under a spec other than the one it was
 * trained with.
 */
import { createHash } from 'node:crypto';

import type { RunSpec } from '@hourglass/specs';

/**
 * The sha256 (hex) of the spec as JSON with object keys sorted, so the
 * fingerprint does not depend on the order the fields were written in.
 */
export function fingerprintSpec(spec: RunSpec): string {
  return createHash('sha256').update(toCanonicalJson(spec)).digest('hex');
}

function toCanonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(toCanonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, field]) => `${JSON.stringify(key)}:${toCanonicalJson(field)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
