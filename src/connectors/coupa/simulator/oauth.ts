/**
 * Coupa's OAuth2 client credentials grant (`POST /oauth2/token`, form `client_id`, `client_secret`,
 * `grant_type=client_credentials`, `scope` space separated `service.object.right`), the bearer check
 * on every API route with its scope, and the tenant's rate limit (25 requests/s, burst 20, then 429
 * with Retry-After). Tokens live 24 h unless configured shorter; the simulator kit's `expireTokens`
 * fault expires every token issued before it was set.
 */
import { randomBytes } from 'node:crypto';

export const DEMO_CLIENT_ID = 'ledgerlink-demo';
export const DEMO_CLIENT_SECRET = 'coupa-demo-secret';

/** Every scope the simulator knows; the demo client may ask for any of them. */
export const COUPA_SCOPES = [
  'core.supplier.read',
  'core.supplier.write',
  'core.invoice.read',
  'core.invoice.write',
  'core.purchase_order.read',
  'core.purchase_order.write',
  'core.inventory.receiving.read',
  'core.accounting.read',
  'core.accounting.write',
  'core.common.read',
  'core.common.write',
  'core.integration.read',
  'core.integration.write',
] as const;

interface IssuedToken {
  readonly scopes: ReadonlySet<string>;
  readonly issuedAt: number;
  readonly expiresAt: number;
  revoked: boolean;
}

export type TokenCheck =
  { readonly ok: true } | { readonly ok: false; readonly status: 401 | 403; readonly message: string };

export class CoupaAuth {
  private readonly tokens = new Map<string, IssuedToken>();
  private seenCutoff = 0;
  tokenLifetimeSeconds: number;

  constructor(tokenLifetimeSeconds = 86_400) {
    this.tokenLifetimeSeconds = tokenLifetimeSeconds;
  }

  /**
   * Applies a new `expireTokens` cut-off to the tokens that exist when it is first noticed, so a token
   * issued right after the fault was set stays valid whatever the clock resolution.
   */
  syncCutoff(cutoff: number): void {
    if (cutoff === this.seenCutoff) return;
    this.seenCutoff = cutoff;
    for (const token of this.tokens.values()) if (token.issuedAt < cutoff) token.revoked = true;
  }

  /** The token endpoint: answers status and body as Coupa does. */
  issue(form: URLSearchParams, now = Date.now()): { status: number; body: Record<string, unknown> } {
    if (form.get('grant_type') !== 'client_credentials') {
      return {
        status: 400,
        body: { error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials' },
      };
    }
    if (form.get('client_id') !== DEMO_CLIENT_ID || form.get('client_secret') !== DEMO_CLIENT_SECRET) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' } };
    }
    const requested = (form.get('scope') ?? '').split(' ').filter((s) => s !== '');
    const unknown = requested.filter((s) => !(COUPA_SCOPES as readonly string[]).includes(s));
    if (requested.length === 0 || unknown.length > 0) {
      return {
        status: 400,
        body: { error: 'invalid_scope', error_description: `unknown or missing scope ${unknown.join(' ')}`.trim() },
      };
    }
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, {
      scopes: new Set(requested),
      issuedAt: now,
      expiresAt: now + this.tokenLifetimeSeconds * 1_000,
      revoked: false,
    });
    return {
      status: 200,
      body: {
        access_token: token,
        token_type: 'bearer',
        expires_in: this.tokenLifetimeSeconds,
        scope: requested.join(' '),
      },
    };
  }

  /** Checks `Authorization: Bearer …` for a live token carrying `scope`. */
  check(authorization: string | undefined, scope: string, now = Date.now()): TokenCheck {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const token = match === null ? undefined : this.tokens.get(match[1]!);
    if (token === undefined) return { ok: false, status: 401, message: 'Invalid or missing access token' };
    if (token.revoked || now >= token.expiresAt) return { ok: false, status: 401, message: 'Access token expired' };
    if (!token.scopes.has(scope)) return { ok: false, status: 403, message: `Access token lacks the scope ${scope}` };
    return { ok: true };
  }
}

/** Token bucket for the tenant's limit: `ratePerSecond` refill, `burst` capacity. */
export class CoupaRateLimit {
  private tokens: number;
  private refilledAt: number;

  constructor(
    readonly ratePerSecond = 25,
    readonly burst = 20,
  ) {
    this.tokens = burst;
    this.refilledAt = performance.now();
  }

  /** Takes one request; answers the seconds to wait when the bucket is empty. */
  take(now = performance.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) * this.ratePerSecond) / 1_000);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.ratePerSecond)) };
  }

  reset(): void {
    this.tokens = this.burst;
    this.refilledAt = performance.now();
  }
}
