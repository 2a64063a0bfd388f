export * from './checkpoints.ts';
export * from './database.ts';
export * from './metrics.ts';
export * from './retry.ts';
export * from './runs.ts';
export * from './workers.ts';
export * from './sweep-metrics.ts';
export * from './sweeps.ts';
