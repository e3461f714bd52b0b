/**
 * API token checks without a database round trip per request: the answer of TokenStore.authenticate
 * is kept in memory for a few seconds, keyed by the token's SHA-256 hash (never the token itself).
 *
 * - A revocation, or the end of a rotation overlap that was set after the answer was cached, takes
 *   effect within `ttlMs` (default 5 s, `server.tokenCacheMs`). An expiry known when the answer was
 *   cached is checked on every hit, so a token stops working at its expiry exactly.
 * - Refusals are cached too: a token that is unknown, revoked or expired cannot become valid again,
 *   so a flood of bad tokens costs one lookup per distinct token per `ttlMs`.
 * - Concurrent checks of the same token share one lookup. The cache holds at most `maxEntries`
 *   tokens; the oldest entry goes first.
 * - `last_used_at` stays TokenStore's business (written at most once a minute per token).
 */
import { hashToken, looksLikeToken, tokenStatus, type AuthResult, type TokenStore } from './api-tokens.js';

export interface TokenAuthenticator {
  authenticate(presented: string | undefined): Promise<AuthResult>;
}

export interface CachedTokenAuthenticatorOptions {
  readonly ttlMs: number;
  readonly maxEntries?: number;
  readonly clock?: () => number;
}

interface CacheEntry {
  readonly until: number;
  readonly result: Promise<AuthResult>;
}

const DEFAULT_MAX_ENTRIES = 10_000;

export class CachedTokenAuthenticator implements TokenAuthenticator {
  readonly #tokens: Pick<TokenStore, 'authenticate'>;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #clock: () => number;
  readonly #entries = new Map<string, CacheEntry>();

  constructor(tokens: Pick<TokenStore, 'authenticate'>, options: CachedTokenAuthenticatorOptions) {
    this.#tokens = tokens;
    this.#ttlMs = Math.max(0, options.ttlMs);
    this.#maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.#clock = options.clock ?? Date.now;
  }

  async authenticate(presented: string | undefined): Promise<AuthResult> {
    // Missing and malformed tokens are refused without a lookup anyway.
    if (presented === undefined || !looksLikeToken(presented) || this.#ttlMs === 0)
      return this.#tokens.authenticate(presented);
    const key = hashToken(presented);
    const now = this.#clock();
    const cached = this.#entries.get(key);
    if (cached !== undefined && cached.until > now) return stillValid(await cached.result, now);
    if (cached !== undefined) this.#entries.delete(key);
    const result = this.#tokens.authenticate(presented);
    this.#remember(key, { until: now + this.#ttlMs, result });
    try {
      return stillValid(await result, this.#clock());
    } catch (error) {
      // A failed lookup (store unavailable) is not an answer: the next request asks again.
      if (this.#entries.get(key)?.result === result) this.#entries.delete(key);
      throw error;
    }
  }

  /** Forgets every cached answer (after a revocation in this process, say). */
  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }

  #remember(key: string, entry: CacheEntry): void {
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, entry);
  }
}

/** A cached acceptance still honours the token's expiry as it was known. */
function stillValid(result: AuthResult, now: number): AuthResult {
  if (!result.ok) return result;
  const status = tokenStatus(result.token, now);
  return status === 'active' ? result : { ok: false, reason: status };
}
