/**
 * Serves the web console (console/dist, built by Vite at install or start) at `/` with its hashed
 * assets under `/assets/`. These routes are public: the page itself holds nothing, it logs in
 * through POST /v1/session and reads the API with the session cookie. The page gets its own
 * Content-Security-Policy (same-origin scripts, styles and calls only); assets are cached for good
 * (their names change with their content), the page itself is revalidated.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { LedgerlinkError } from '../canonical/errors.js';
import type { ApiServer } from './api-context.js';

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CONSOLE_DIST = join(PACKAGE_ROOT, 'console', 'dist');

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Marks every route registered in this scope public (plugins' routes cannot declare it themselves). */
export function makeRoutesPublic(scope: ApiServer): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...route.config, public: true };
  });
}

export async function registerConsole(app: ApiServer, distDir: string = CONSOLE_DIST): Promise<void> {
  const built = existsSync(join(distDir, 'index.html'));
  await app.register(async (scope: ApiServer) => {
    makeRoutesPublic(scope);
    scope.addHook('onSend', async (request, reply, payload) => {
      reply.header('content-security-policy', CONSOLE_CSP);
      reply.header(
        'cache-control',
        request.url.startsWith('/assets/') && reply.statusCode === 200
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      );
      return payload;
    });
    if (!built) {
      scope.get('/', { schema: { hide: true } }, async () => {
        throw new LedgerlinkError(
          'LL_ERR_NOT_FOUND',
          'The web console is not built; run npm run console:build (npm install and npm start do it)',
        );
      });
      return;
    }
    await scope.register(fastifyStatic, {
      root: distDir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      cacheControl: false,
      etag: true,
      lastModified: true,
      schemaHide: true,
    });
  });
}
