import type { z } from 'zod';

import { ValidationError, type FieldIssue } from './errors.ts';

type Issue = z.core.$ZodIssue;

function formatPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/**
 * One issue as field issues. A failed union reports "Invalid input" at its
 * own path; when exactly one of its branches got past the check of the
 * value's type, that branch is the one the input meant, and its issues name
 * the field that is actually wrong.
 */
function flattenIssue(issue: Issue, prefix: readonly PropertyKey[]): FieldIssue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const meant = issue.errors.filter(
      (branch) => !branch.some((inner) => inner.path.length === 0 && inner.code === 'invalid_type'),
    );
    if (meant.length === 1) return meant[0]!.flatMap((inner) => flattenIssue(inner, path));
  }
  return [{ path: formatPath(path), message: issue.message }];
}

/** Turns zod's issues into field paths such as `model.channels`. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => flattenIssue(issue, []));
}

/**
 * Parses `input` with `schema`, throwing a ValidationError that names every
 * failing field. `what` says what was parsed ("run spec", "environment").
 */
export function parseOrThrow<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  what: string,
): z.output<Schema> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(what, toFieldIssues(result.error));
  return result.data;
}
