export { loadWorkerConfig, type WorkerConfig } from './config.ts';
export { checkpointFolder, type TrainingJobResult } from './process-training-job.ts';
export { startTrainingWorker, type TrainingWorker } from './training-worker.ts';
