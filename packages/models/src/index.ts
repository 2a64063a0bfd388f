export * from './create-model.ts';
export * from './glorot-uniform.ts';
export * from './image-batch.ts';
export * from './same-padding.ts';
export * from './shallow-autoencoder.ts';
export type * from './vision-model.ts';
