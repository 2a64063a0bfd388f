import { HourglassError } from '@hourglass/common';
import type { BackendName } from './backend-preference.ts';

/** Why a backend could not be used. */
export type BackendUnavailableReason =
  | 'not-installed'
  | 'failed-to-load'
  | 'failed-to-initialise';

/**
 * A compute backend that cannot be used on this machine: its package is
 * absent, its native library failed to load, or tfjs could not set it up.
 * Not retryable: the machine will not change between attempts.
 */
export class BackendUnavailableError extends HourglassError {
  readonly backend: BackendName;
  readonly reason: BackendUnavailableReason;

  constructor(
    backend: BackendName,
    reason: BackendUnavailableReason,
    message: string,
    cause?: unknown,
  ) {
    super('HG_BACKEND_UNAVAILABLE', `backend ${backend}: ${message}`, {
      cause,
    });
    this.backend = backend;
    this.reason = reason;
  }
}
