export * from './cancel-channel.ts';
export * from './connection.ts';
export * from './job-catalog.ts';
export * from './training-queue.ts';
export * from './evaluation-queue.ts';
