export { buildApp } from './app.ts';
export { loadApiConfig, type ApiConfig } from './config.ts';
export { startApiServer, type ApiServer } from './server.ts';
export type { ApiServices } from './services.ts';
