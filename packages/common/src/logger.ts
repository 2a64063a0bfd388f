import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Creates the process's root logger. Services bind child loggers to the run,
 * job, queue or worker they act for; messages stay constant and facts go in
 * the fields object.
 */
export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  return pino({
    name,
    level: process.env.LOG_LEVEL ?? 'info',
    ...options,
  });
}

/** A logger that discards everything, for tests and library defaults. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
