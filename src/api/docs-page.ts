/**
 * The API reference for people: GET /docs answers a Swagger UI page (served from the swagger-ui-dist
 * package, no CDN) to a browser, and the OpenAPI document to anyone asking for JSON, as it always
 * did; GET /docs/json is the document itself. All public.
 */
import { createRequire } from 'node:module';
import fastifyStatic from '@fastify/static';
import type { FastifyRequest } from 'fastify';
import type { ApiServer } from './api-context.js';
import { makeRoutesPublic } from './console-assets.js';

const require = createRequire(import.meta.url);
const SWAGGER_UI_DIR = (require('swagger-ui-dist') as { getAbsoluteFSPath(): string }).getAbsoluteFSPath();

const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Ledgerlink API reference</title>
    <link rel="stylesheet" href="/docs/static/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/static/swagger-ui-bundle.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({
  url: '/docs/json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
`;

/** True when the client prefers HTML (a browser) over JSON. */
function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html');
}

export async function registerDocsPage(app: ApiServer): Promise<void> {
  await app.register(async (scope: ApiServer) => {
    makeRoutesPublic(scope);
    scope.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-security-policy', DOCS_CSP);
      return payload;
    });
    scope.get('/docs', { schema: { hide: true } }, async (request, reply) => {
      if (!wantsHtml(request)) return app.swagger();
      return reply.type('text/html; charset=utf-8').send(PAGE);
    });
    scope.get('/docs/json', { schema: { hide: true } }, async () => app.swagger());
    scope.get('/docs/init.js', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').send(INIT),
    );
    await scope.register(fastifyStatic, {
      root: SWAGGER_UI_DIR,
      prefix: '/docs/static/',
      decorateReply: false,
      allowedPath: (path) => /^\/swagger-ui(-bundle\.js|\.css)$/.test(path),
      schemaHide: true,
    });
  });
}
