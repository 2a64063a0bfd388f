/**
 * The project's coded errors. Every error a user can meet carries a stable
 * `code`; the API maps codes to HTTP statuses in one place, and the worker
 * uses `isRetryable` to decide whether a failed job is worth another attempt.
 */

/** One failing field of a validated input: its path and what was wrong. */
export interface FieldIssue {
  path: string;
  message: string;
}

export interface HourglassErrorOptions {
  cause?: unknown;
  isRetryable?: boolean;
}

/** Base class: a message, a stable code, and whether retrying could help. */
export class HourglassError extends Error {
  readonly code: string;
  readonly isRetryable: boolean;

  constructor(code: string, message: string, options: HourglassErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.isRetryable = options.isRetryable ?? false;
  }
}

/** Input that can never succeed as given: a spec, a body, a query string. */
export class ValidationError extends HourglassError {
  readonly issues: FieldIssue[];

  constructor(what: string, issues: FieldIssue[]) {
    const fields = issues.map((issue) => `${issue.path}: ${issue.message}`);
    super('HG_VALIDATION', `invalid ${what}: ${fields.join('; ')}`);
    this.issues = issues;
  }
}

/** A record that does not exist (a run, a checkpoint). */
export class NotFoundError extends HourglassError {
  readonly resource: string;
  readonly id: string;

  constructor(resource: string, id: string) {
    super('HG_NOT_FOUND', `${resource} ${id} not found`);
    this.resource = resource;
    this.id = id;
  }
}

/** An action that the record's current state does not allow. */
export class ConflictError extends HourglassError {
  constructor(message: string) {
    super('HG_CONFLICT', message);
  }
}

/** A data file that is missing, truncated or not in the expected layout. */
export class DataFormatError extends HourglassError {
  readonly file: string;

  constructor(file: string, message: string, options: HourglassErrorOptions = {}) {
    super('HG_DATA_FORMAT', `${file}: ${message}`, options);
    this.file = file;
  }
}

/** A tensor of the wrong rank or shape entering a model or an op. */
export class ShapeError extends HourglassError {
  constructor(where: string, expected: string, got: readonly number[]) {
    super('HG_SHAPE', `in ${where}: expected ${expected}, got [${got.join(', ')}]`);
  }
}

/** Training diverged or otherwise produced numbers that cannot be used. */
export class TrainingError extends HourglassError {
  constructor(message: string, options: HourglassErrorOptions = {}) {
    super('HG_TRAINING', message, options);
  }
}

/** A run was cancelled by a user while it was being worked on. */
export class CancelledError extends HourglassError {
  constructor(runId: string) {
    super('HG_CANCELLED', `run ${runId} was cancelled`);
  }
}

/** Coerces anything thrown into an Error, keeping the original as `cause`. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : JSON.stringify(thrown), {
    cause: thrown,
  });
}

/** A service the request needs (Postgres, Redis) did not answer. */
export class UnavailableError extends HourglassError {
  constructor(message: string, options: HourglassErrorOptions = {}) {
    super('HG_UNAVAILABLE', message, { isRetryable: true, ...options });
  }
}
