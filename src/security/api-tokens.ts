/**
 * API tokens: `llt_` + 32 random bytes base64url, shown once at creation and stored only as their
 * SHA-256 hash (`tokens.token_hash`). A presented token is hashed and looked up by that hash; the
 * stored hash is then compared in constant time. Each token has roles (see access-roles.ts), an
 * optional expiry and may be revoked. Rotation issues a new token with the same name and roles and
 * lets the old one keep working until an overlap window ends (its expiry is pulled in to then).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { LedgerlinkError } from '../canonical/errors.js';
import type { Store, Tx } from '../store/port.js';
import type { TokensTable } from '../store/schema.js';
import { parseRoles, type Role } from './access-roles.js';

export {
  assertAuthorized,
  authorize,
  isAction,
  isRole,
  parseRole,
  parseRoles,
  roleMatrix,
  serviceActions,
  STATIC_ACTIONS,
  STATIC_ROLES,
} from './access-roles.js';
export type { Action, Role, ServiceRole, StaticAction, StaticRole } from './access-roles.js';

export const TOKEN_PREFIX = 'llt_';
const TOKEN_RANDOM_BYTES = 32;
/** `llt_` and 43 base64url characters (32 bytes). */
export const TOKEN_PATTERN = /^llt_[A-Za-z0-9_-]{43}$/;
/** `last_used_at` is written at most this often per token, so reads stay reads. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(TOKEN_RANDOM_BYTES).toString('base64url');
}

export function looksLikeToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/** Lower-case hex SHA-256 of the token text: the only form the database holds. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time equality of two hex hashes. */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === 32 && right.length === 32 && timingSafeEqual(left, right);
}

/** A token as listed: everything but the secret (and not its hash either). */
export interface TokenRecord {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly expiresAt: number | null;
  readonly revokedAt: number | null;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

export type TokenStatus = 'active' | 'expired' | 'revoked';

export function tokenStatus(token: Pick<TokenRecord, 'expiresAt' | 'revokedAt'>, now: number): TokenStatus {
  if (token.revokedAt !== null && token.revokedAt <= now) return 'revoked';
  if (token.expiresAt !== null && token.expiresAt <= now) return 'expired';
  return 'active';
}

export type AuthFailure = 'missing' | 'malformed' | 'unknown' | 'expired' | 'revoked';
export type AuthResult =
  { readonly ok: true; readonly token: TokenRecord } | { readonly ok: false; readonly reason: AuthFailure };

export interface IssuedToken {
  /** The token itself: shown to the user once, never stored. */
  readonly secret: string;
  readonly record: TokenRecord;
}

export interface NewToken {
  readonly name: string;
  readonly roles: readonly string[];
  /** Absolute expiry (epoch ms); `null` or absent for none. */
  readonly expiresAt?: number | null;
}

export interface RotateOptions {
  /** How long the old token keeps working after rotation; 0 revokes it at once. */
  readonly overlapMs: number;
  /** The new token's expiry; by default the old token's lifetime, counted from now (or none). */
  readonly expiresAt?: number | null;
}

/** Runs inside the change's own transaction (an audit row, say): both commit or neither does. */
export interface TokenChangeHooks<T> {
  readonly inTransaction?: (tx: Tx, result: T) => Promise<void>;
}

export interface RotatedToken extends IssuedToken {
  /** The old token as it now stands: expiring at the end of the overlap, or revoked. */
  readonly previous: TokenRecord;
}

function parseStoredRoles(text: string, id: string): Role[] {
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (cause) {
    throw new LedgerlinkError('LL_ERR_INTERNAL', `token ${id} has unreadable roles`, { cause });
  }
  if (!Array.isArray(values) || !values.every((v): v is string => typeof v === 'string')) {
    throw new LedgerlinkError('LL_ERR_INTERNAL', `token ${id} has unreadable roles`);
  }
  return parseRoles(values);
}

function toRecord(row: TokensTable): TokenRecord {
  return {
    id: row.id,
    name: row.name,
    roles: parseStoredRoles(row.roles, row.id),
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 200) {
    throw new LedgerlinkError('LL_ERR_BAD_REQUEST', 'a token name must be 1 to 200 characters', {
      details: [{ path: 'name', message: 'length 1..200' }],
    });
  }
  return trimmed;
}

function checkExpiry(expiresAt: number | null | undefined, now: number): number | null {
  if (expiresAt === undefined || expiresAt === null) return null;
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= now) {
    throw new LedgerlinkError('LL_ERR_BAD_REQUEST', 'a token expiry must be a time in the future (epoch ms)', {
      details: [{ path: 'expiresAt', message: 'must be in the future' }],
    });
  }
  return expiresAt;
}

const newTokenId = (): string => `tok_${randomBytes(12).toString('hex')}`;

/** Tokens over the `tokens` table of either store. */
export class TokenStore {
  readonly #store: Pick<Store, 'db' | 'writeTransaction'>;
  readonly #clock: () => number;

  constructor(store: Pick<Store, 'db' | 'writeTransaction'>, options: { clock?: () => number } = {}) {
    this.#store = store;
    this.#clock = options.clock ?? Date.now;
  }

  /** Creates a token; the secret is in the answer and nowhere else. */
  async create(input: NewToken, hooks: TokenChangeHooks<IssuedToken> = {}): Promise<IssuedToken> {
    const now = this.#clock();
    return this.#store.writeTransaction(async (tx) => {
      const issued = await this.#insert(
        tx,
        checkName(input.name),
        parseRoles(input.roles),
        checkExpiry(input.expiresAt, now),
        now,
      );
      await hooks.inTransaction?.(tx, issued);
      return issued;
    });
  }

  async #insert(
    tx: Tx,
    name: string,
    roles: readonly Role[],
    expiresAt: number | null,
    now: number,
  ): Promise<IssuedToken> {
    const secret = generateToken();
    const row: TokensTable = {
      id: newTokenId(),
      name,
      token_hash: hashToken(secret),
      roles: JSON.stringify(roles),
      expires_at: expiresAt,
      revoked_at: null,
      created_at: now,
      last_used_at: null,
    };
    await tx.insertInto('tokens').values(row).execute();
    return { secret, record: toRecord(row) };
  }

  /** Every token, oldest first, without secrets or hashes. */
  async list(): Promise<TokenRecord[]> {
    const rows = await this.#store.db.selectFrom('tokens').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(toRecord);
  }

  async get(id: string): Promise<TokenRecord | undefined> {
    const row = await this.#store.db.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toRecord(row);
  }

  /**
   * Checks a presented token (the text after `Bearer `). Finds it by hash, compares the hash in
   * constant time, and checks revocation and expiry; records the use at most once a minute.
   */
  async authenticate(presented: string | undefined): Promise<AuthResult> {
    if (presented === undefined || presented === '') return { ok: false, reason: 'missing' };
    if (!looksLikeToken(presented)) return { ok: false, reason: 'malformed' };
    const hash = hashToken(presented);
    const row = await this.#store.db.selectFrom('tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    if (row === undefined || !hashesEqual(row.token_hash, hash)) return { ok: false, reason: 'unknown' };
    const now = this.#clock();
    const token = toRecord(row);
    const status = tokenStatus(token, now);
    if (status !== 'active') return { ok: false, reason: status };
    if (token.lastUsedAt === null || now - token.lastUsedAt >= LAST_USED_RESOLUTION_MS) {
      await this.#store.writeTransaction((tx) =>
        tx.updateTable('tokens').set({ last_used_at: now }).where('id', '=', token.id).execute(),
      );
      return { ok: true, token: { ...token, lastUsedAt: now } };
    }
    return { ok: true, token };
  }

  /** `authenticate`, throwing LL_ERR_UNAUTHENTICATED (401) with the reason when the token does not pass. */
  async requireToken(presented: string | undefined): Promise<TokenRecord> {
    const result = await this.authenticate(presented);
    if (result.ok) return result.token;
    throw new LedgerlinkError('LL_ERR_UNAUTHENTICATED', `API token ${result.reason}`, {
      details: [{ path: 'authorization', message: `token ${result.reason}`, reason: result.reason }],
    });
  }

  /** Revokes a token at once. Revoking twice keeps the first time. LL_ERR_NOT_FOUND for an unknown id. */
  async revoke(id: string, hooks: TokenChangeHooks<TokenRecord> = {}): Promise<TokenRecord> {
    const now = this.#clock();
    return this.#store.writeTransaction(async (tx) => {
      const row = await tx.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
      if (row === undefined) throw notFound(id);
      if (row.revoked_at !== null && row.revoked_at <= now) return toRecord(row);
      await tx.updateTable('tokens').set({ revoked_at: now }).where('id', '=', id).execute();
      const revoked = toRecord({ ...row, revoked_at: now });
      await hooks.inTransaction?.(tx, revoked);
      return revoked;
    });
  }

  /**
   * Issues a successor with the same name and roles; the old token keeps working for `overlapMs`
   * (never past its own expiry) and is revoked at once when `overlapMs` is 0. Rotating a revoked
   * or expired token is LL_ERR_ILLEGAL_TRANSITION.
   */
  async rotate(id: string, options: RotateOptions, hooks: TokenChangeHooks<RotatedToken> = {}): Promise<RotatedToken> {
    if (!Number.isSafeInteger(options.overlapMs) || options.overlapMs < 0) {
      throw new LedgerlinkError('LL_ERR_BAD_REQUEST', 'overlapMs must be a non-negative integer', {
        details: [{ path: 'overlapMs', message: 'must be >= 0' }],
      });
    }
    const now = this.#clock();
    return this.#store.writeTransaction(async (tx) => {
      const row = await tx.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
      if (row === undefined) throw notFound(id);
      const old = toRecord(row);
      const status = tokenStatus(old, now);
      if (status !== 'active') {
        throw new LedgerlinkError('LL_ERR_ILLEGAL_TRANSITION', `token ${id} is ${status} and cannot be rotated`, {
          details: [{ path: 'id', message: `token is ${status}`, id }],
        });
      }
      const lifetime = old.expiresAt === null ? null : now + (old.expiresAt - old.createdAt);
      const expiresAt = checkExpiry(options.expiresAt === undefined ? lifetime : options.expiresAt, now);
      const issued = await this.#insert(tx, old.name, old.roles, expiresAt, now);
      const overlapEnd = now + options.overlapMs;
      const previous: TokenRecord =
        options.overlapMs === 0
          ? { ...old, revokedAt: now }
          : { ...old, expiresAt: old.expiresAt === null ? overlapEnd : Math.min(old.expiresAt, overlapEnd) };
      await tx
        .updateTable('tokens')
        .set({ revoked_at: previous.revokedAt, expires_at: previous.expiresAt })
        .where('id', '=', id)
        .execute();
      const rotated = { ...issued, previous };
      await hooks.inTransaction?.(tx, rotated);
      return rotated;
    });
  }
}

function notFound(id: string): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_NOT_FOUND', `no token with id ${JSON.stringify(id)}`, {
    details: [{ path: 'id', message: 'not found', id }],
  });
}
