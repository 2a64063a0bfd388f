export * from './errors.ts';
export * from './logger.ts';
export * from './random.ts';
export * from './zod-issues.ts';
