import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where `npm run build -w @hourglass/dashboard` writes the dashboard. */
export const DEFAULT_DASHBOARD_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../dashboard/dist',
);

const NOT_BUILT =
  'the dashboard is not built; run `npm run build -w @hourglass/dashboard` and restart the API';

/**
 * Serves the built dashboard at / when its folder exists: hashed files
 * under /assets/, and index.html for every other GET path without a file
 * extension, so a reload on a client route (/runs/<id>) finds the app.
 * Paths under /v1/ and missing files are left to the JSON 404, so an API
 * typo never answers with a page. Without a build the API runs as before
 * and / says how to build it.
 */
export async function registerDashboard(app: FastifyInstance, dashboardDir: string) {
  const indexPath = join(dashboardDir, 'index.html');
  if (!existsSync(indexPath)) {
    app.get('/', async (_request, reply) =>
      reply.status(404).send({ error: { code: 'HG_NOT_FOUND', message: NOT_BUILT } }),
    );
    return;
  }

  await app.register(fastifyStatic, {
    root: join(dashboardDir, 'assets'),
    prefix: '/assets/',
    // Vite puts a content hash in every asset's name: it never changes.
    immutable: true,
    maxAge: '365d',
  });
  app.get('/*', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const isApiPath = path === '/v1' || path.startsWith('/v1/');
    const isFilePath = /\.[a-z0-9]+$/i.test(path);
    if (isApiPath || isFilePath) return reply.callNotFound();
    // Read per request: a rebuilt dashboard is served without a restart.
    const html = await readFile(indexPath, 'utf8');
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
  });
}
