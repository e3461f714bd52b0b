/**
 * ETags on the API's JSON reads, so the console's polling costs a 304 when nothing changed: every
 * successful GET under /v1/ gets a strong ETag of its body, and a request whose If-None-Match names
 * it is answered 304 with no body. The figures are still computed; only the transfer is saved.
 */
import { createHash } from 'node:crypto';
import type { ApiServer } from './api-context.js';

export function etagOf(body: string | Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

export function useJsonEtags(app: ApiServer): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' || reply.statusCode !== 200 || !request.url.startsWith('/v1/')) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    const etag = etagOf(payload);
    reply.header('etag', etag);
    const presented = request.headers['if-none-match'];
    if (presented !== undefined && presented.split(',').some((t) => t.trim() === etag)) {
      reply.code(304);
      reply.removeHeader('content-length');
      return '';
    }
    return payload;
  });
}
