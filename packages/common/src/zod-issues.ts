import type { z } from 'zod';

import { ValidationError, type FieldIssue } from './errors.ts';

/** Turns zod's issues into field paths such as `model.channels`. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.'),
    message: issue.message,
  }));
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
