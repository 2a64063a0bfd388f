export * from './colorization-spec.ts';
export * from './dataset-spec.ts';
export * from './evaluation-spec.ts';
export * from './model-spec.ts';
export * from './optimizer-spec.ts';
export * from './run-spec.ts';
