/**
 * Web console sessions (migration 9). Logging in with an API token opens a session: a random id
 * (sent back only in an httpOnly cookie) and a CSRF token (given to the page, sent back in a header on
 * every state-changing call). The store keeps only SHA-256 hashes of both. A session acts with the
 * roles of the token it was opened with, read at each use, so revoking or expiring the token ends
 * its sessions too. A session ends at an absolute expiry, after an idle time, or on logout.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/port.js';
import { tokenStatus, type TokenRecord, type TokenStore } from './api-tokens.js';

export interface SessionPolicy {
  /** How long a session lives at most from login. */
  readonly ttlMs: number;
  /** How long a session lives without being used. */
  readonly idleMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { ttlMs: 8 * 3_600_000, idleMs: 30 * 60_000 };

/** How often `last_seen_at` (and so the idle deadline) is written: reads stay reads. */
const TOUCH_RESOLUTION_MS = 30_000;

export interface OpenedSession {
  /** The session id, for the cookie only; never stored. */
  readonly id: string;
  /** The CSRF token the page sends in `x-csrf-token`; never stored. */
  readonly csrfToken: string;
  readonly token: TokenRecord;
  readonly expiresAt: number;
}

export type SessionFailure = 'unknown' | 'expired' | 'idle' | 'ended' | 'token_inactive';

export type SessionResult =
  | { readonly ok: true; readonly token: TokenRecord; readonly csrfHash: string; readonly expiresAt: number }
  | { readonly ok: false; readonly reason: SessionFailure };

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** Constant-time check of a presented CSRF token against the session's hash. */
export function csrfMatches(presented: string | undefined, csrfHash: string): boolean {
  if (presented === undefined || presented.length > 200) return false;
  const left = Buffer.from(sha256(presented), 'hex');
  const right = Buffer.from(csrfHash, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

export class ConsoleSessionStore {
  readonly #store: Store;
  readonly #tokens: TokenStore;
  readonly #policy: SessionPolicy;
  readonly #clock: () => number;

  constructor(store: Store, tokens: TokenStore, policy: SessionPolicy = DEFAULT_SESSION_POLICY, clock = Date.now) {
    this.#store = store;
    this.#tokens = tokens;
    this.#policy = policy;
    this.#clock = clock;
  }

  get policy(): SessionPolicy {
    return this.#policy;
  }

  /** Opens a session for a token that has already been authenticated. */
  async open(token: TokenRecord): Promise<OpenedSession> {
    const id = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const now = this.#clock();
    // Never beyond the token's own expiry.
    const expiresAt = Math.min(now + this.#policy.ttlMs, token.expiresAt ?? Number.MAX_SAFE_INTEGER);
    await this.#store.writeTransaction(async (tx) => {
      // Sessions ended long ago are of no use to anyone: each login clears those past their expiry.
      await tx
        .deleteFrom('console_sessions')
        .where('expires_at', '<', now - this.#policy.ttlMs)
        .execute();
      await tx
        .insertInto('console_sessions')
        .values({
          id_hash: sha256(id),
          token_id: token.id,
          csrf_hash: sha256(csrfToken),
          created_at: now,
          last_seen_at: now,
          idle_until: now + this.#policy.idleMs,
          expires_at: expiresAt,
          ended_at: null,
        })
        .execute();
    });
    return { id, csrfToken, token, expiresAt };
  }

  /** The session behind a cookie value, with its token's current roles; pushes the idle deadline on. */
  async authenticate(sessionId: string): Promise<SessionResult> {
    if (!SESSION_ID.test(sessionId)) return { ok: false, reason: 'unknown' };
    const idHash = sha256(sessionId);
    const row = await this.#store.db
      .selectFrom('console_sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .executeTakeFirst();
    if (row === undefined) return { ok: false, reason: 'unknown' };
    const now = this.#clock();
    if (row.ended_at !== null) return { ok: false, reason: 'ended' };
    if (Number(row.expires_at) <= now) return { ok: false, reason: 'expired' };
    if (Number(row.idle_until) <= now) return { ok: false, reason: 'idle' };
    const token = await this.#tokens.get(row.token_id);
    if (token === undefined || tokenStatus(token, now) !== 'active') return { ok: false, reason: 'token_inactive' };
    if (now - Number(row.last_seen_at) >= TOUCH_RESOLUTION_MS) {
      const idleUntil = Math.min(now + this.#policy.idleMs, Number(row.expires_at));
      await this.#store.writeTransaction((tx) =>
        tx
          .updateTable('console_sessions')
          .set({ last_seen_at: now, idle_until: idleUntil })
          .where('id_hash', '=', idHash)
          .execute(),
      );
    }
    return { ok: true, token, csrfHash: row.csrf_hash, expiresAt: Number(row.expires_at) };
  }

  /** Ends the session (logout); ending an unknown or ended one is not an error. */
  async end(sessionId: string): Promise<boolean> {
    if (!SESSION_ID.test(sessionId)) return false;
    const now = this.#clock();
    const result = await this.#store.writeTransaction((tx) =>
      tx
        .updateTable('console_sessions')
        .set({ ended_at: now })
        .where('id_hash', '=', sha256(sessionId))
        .where('ended_at', 'is', null)
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows) > 0;
  }
}
