/**
 * API idempotency keys (reliability catalogue): a POST carrying an `Idempotency-Key` header executes
 * once per caller and key. While the first call runs, the same key answers 409
 * LL_ERR_IDEMPOTENCY_IN_PROGRESS; once it finished, its stored response (status and body) is replayed
 * with `Idempotency-Replayed: true`; the same key with a different request (hash of method, path and
 * body) answers 422 LL_ERR_IDEMPOTENCY_MISMATCH. A 5xx is not stored, so the caller may try again.
 * Keys are kept 24 hours (the worker prunes them). Event ingestion has its own inbox dedupe and is
 * left alone.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LedgerlinkError } from '../canonical/errors.js';
import { canonicalJson } from '../canonical/canonical-json.js';
import type { Store } from '../store/port.js';
import type { ApiServer } from './api-context.js';
import { actorOf } from './route-access.js';

export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
/** A call still marked running after this long is taken to have died with its process. */
export const IDEMPOTENCY_STALE_MS = 5 * 60 * 1000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

interface HeldKey {
  readonly scope: string;
  readonly key: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: HeldKey | undefined;
  }
}

function requestHash(request: FastifyRequest): string {
  const body = request.body as { text?: unknown; value?: unknown } | undefined;
  const text =
    body !== undefined && body !== null && typeof body.text === 'string' && 'value' in body
      ? body.text
      : canonicalJson(body ?? null);
  return createHash('sha256').update(`${request.method} ${request.url}\u0000${text}`).digest('hex');
}

type Claim =
  | { readonly claimed: true }
  | {
      readonly claimed: false;
      readonly hash: string;
      readonly status: string;
      readonly responseStatus: number | null;
      readonly responseBody: string | null;
    };

async function claimKey(store: Store, held: HeldKey, hash: string, now: number): Promise<Claim> {
  return store.writeTransaction(async (tx) => {
    const existing = await tx
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('scope', '=', held.scope)
      .where('idempotency_key', '=', held.key)
      .executeTakeFirst();
    if (existing !== undefined) {
      const expired = Number(existing.expires_at) <= now;
      const abandoned = existing.status === 'running' && Number(existing.created_at) < now - IDEMPOTENCY_STALE_MS;
      if (!expired && !abandoned) {
        return {
          claimed: false,
          hash: existing.request_hash,
          status: existing.status,
          responseStatus: existing.response_status === null ? null : Number(existing.response_status),
          responseBody: existing.response_body,
        };
      }
      await tx
        .deleteFrom('idempotency_keys')
        .where('scope', '=', held.scope)
        .where('idempotency_key', '=', held.key)
        .execute();
    }
    const inserted = await tx
      .insertInto('idempotency_keys')
      .values({
        scope: held.scope,
        idempotency_key: held.key,
        request_hash: hash,
        status: 'running',
        response_status: null,
        response_body: null,
        created_at: now,
        expires_at: now + IDEMPOTENCY_KEY_TTL_MS,
      })
      .onConflict((oc) => oc.columns(['scope', 'idempotency_key']).doNothing())
      .executeTakeFirst();
    if (inserted.numInsertedOrUpdatedRows === 1n) return { claimed: true };
    const row = await tx
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('scope', '=', held.scope)
      .where('idempotency_key', '=', held.key)
      .executeTakeFirstOrThrow();
    return {
      claimed: false,
      hash: row.request_hash,
      status: row.status,
      responseStatus: row.response_status === null ? null : Number(row.response_status),
      responseBody: row.response_body,
    };
  });
}

async function settleKey(store: Store, held: HeldKey, status: number, payload: unknown): Promise<void> {
  await store.writeTransaction(async (tx) => {
    if (status >= 500 || typeof payload !== 'string') {
      await tx
        .deleteFrom('idempotency_keys')
        .where('scope', '=', held.scope)
        .where('idempotency_key', '=', held.key)
        .execute();
      return;
    }
    await tx
      .updateTable('idempotency_keys')
      .set({ status: 'done', response_status: status, response_body: payload })
      .where('scope', '=', held.scope)
      .where('idempotency_key', '=', held.key)
      .execute();
  });
}

/** Adds the hooks to every POST route registered after it (events excepted). */
export function useIdempotencyKeys(app: ApiServer, store: Store): void {
  app.decorateRequest('idempotencyKey', undefined);
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'POST') return;
    const header = request.headers['idempotency-key'];
    if (header === undefined || (request.routeOptions.url ?? '').startsWith('/v1/events/')) return;
    const key = Array.isArray(header) ? header[0] : header;
    if (key === undefined || !KEY_PATTERN.test(key)) {
      throw new LedgerlinkError('LL_ERR_BAD_REQUEST', 'Idempotency-Key must be 1 to 255 visible ASCII characters', {
        details: [{ path: 'headers/idempotency-key', message: 'invalid' }],
      });
    }
    const held: HeldKey = { scope: actorOf(request), key };
    const hash = requestHash(request);
    const claim = await claimKey(store, held, hash, Date.now());
    if (claim.claimed) {
      request.idempotencyKey = held;
      return;
    }
    if (claim.hash !== hash) {
      throw new LedgerlinkError(
        'LL_ERR_IDEMPOTENCY_MISMATCH',
        'This Idempotency-Key was used with a different request; use a new key for a new request',
        {
          details: [{ path: 'headers/idempotency-key', message: 'same key, different method, path or body' }],
        },
      );
    }
    if (claim.status !== 'done' || claim.responseStatus === null) {
      throw new LedgerlinkError(
        'LL_ERR_IDEMPOTENCY_IN_PROGRESS',
        'A call with this Idempotency-Key is still running; retry later for its response',
        {
          details: [{ path: 'headers/idempotency-key', message: 'in progress' }],
        },
      );
    }
    return reply
      .code(claim.responseStatus)
      .header('idempotency-replayed', 'true')
      .type('application/json; charset=utf-8')
      .send(claim.responseBody ?? '');
  });
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const held = request.idempotencyKey;
    if (held === undefined) return payload;
    request.idempotencyKey = undefined;
    await settleKey(store, held, reply.statusCode, payload);
    return payload;
  });
}
