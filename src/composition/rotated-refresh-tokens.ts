/**
 * Refresh tokens a vendor rotates on use (SAP Concur: each refresh answers a new refresh token and the
 * one sent stops working), kept durably in the encrypted secret store with where they are used (the
 * token's geolocation), so a restart continues with the newest one instead of the configured one that
 * no longer works.
 *
 * A kept token remembers a digest of the configured credential it descends from: when an operator
 * configures a new refresh token or company request token (a re-authorised app), the kept one is set
 * aside and the configured one is used. Without a keyring (no master key: nothing can be encrypted)
 * rotated tokens live only as long as the process, and the composition logs that.
 */
import { createHash } from 'node:crypto';
import type { LedgerlinkConfig } from '../config/load-config.js';
import type { Logger } from '../observability/logger.js';
import type { Keyring } from '../security/master-keys.js';
import type { SecretStore } from '../security/secret-store.js';

/** Connector kinds whose refresh tokens rotate on use. */
const ROTATING_KINDS: ReadonlySet<string> = new Set(['concur']);

export interface KeptRefreshToken {
  readonly refreshToken: string;
  /** Where the token is refreshed and the API called. */
  readonly geolocation?: string;
}

interface Stored extends KeptRefreshToken {
  /** sha256 of the configured credential this token was rotated from. */
  readonly origin: string;
  readonly rotatedAt: string;
}

const digest = (value: string): string => createHash('sha256').update(value).digest('hex');

/** The secret store entry a system's rotated refresh token is kept under. */
export const rotatedTokenSecretName = (system: string): string => `${system}.rotated-refresh-token`;

export interface RefreshTokenKeeper {
  /** The newest kept token of the system, when it descends from the configured credential. */
  current(system: string, configured: string): Promise<KeptRefreshToken | undefined>;
  /** Keeps a newly rotated token; the previous one is replaced. */
  keep(system: string, configured: string, token: KeptRefreshToken): Promise<void>;
}

/** Keeps rotated refresh tokens in the secret store (sealed like every secret, audited as `system`). */
export class StoredRefreshTokens implements RefreshTokenKeeper {
  readonly #secrets: Pick<SecretStore, 'get' | 'set'>;
  readonly #clock: () => number;

  constructor(secrets: Pick<SecretStore, 'get' | 'set'>, clock: () => number = Date.now) {
    this.#secrets = secrets;
    this.#clock = clock;
  }

  async current(system: string, configured: string): Promise<KeptRefreshToken | undefined> {
    const text = await this.#secrets.get(rotatedTokenSecretName(system));
    if (text === undefined) return undefined;
    let stored: Partial<Stored>;
    try {
      stored = JSON.parse(text) as Partial<Stored>;
    } catch {
      return undefined;
    }
    if (stored.origin !== digest(configured) || typeof stored.refreshToken !== 'string') return undefined;
    return {
      refreshToken: stored.refreshToken,
      ...(typeof stored.geolocation === 'string' ? { geolocation: stored.geolocation } : {}),
    };
  }

  async keep(system: string, configured: string, token: KeptRefreshToken): Promise<void> {
    const stored: Stored = {
      ...token,
      origin: digest(configured),
      rotatedAt: new Date(this.#clock()).toISOString(),
    };
    await this.#secrets.set(rotatedTokenSecretName(system), JSON.stringify(stored), { actor: `system:${system}` });
  }
}

/** Holds rotated tokens for the process's lifetime only (no keyring to seal them with). */
export class ProcessRefreshTokens implements RefreshTokenKeeper {
  readonly #kept = new Map<string, KeptRefreshToken & { origin: string }>();

  current(system: string, configured: string): Promise<KeptRefreshToken | undefined> {
    const kept = this.#kept.get(system);
    return Promise.resolve(kept !== undefined && kept.origin === digest(configured) ? kept : undefined);
  }

  keep(system: string, configured: string, token: KeptRefreshToken): Promise<void> {
    this.#kept.set(system, { ...token, origin: digest(configured) });
    return Promise.resolve();
  }
}

/**
 * Where the hub keeps rotated refresh tokens: the secret store when a keyring can seal them, else the
 * process (logged once when a system that rotates its tokens is configured).
 */
export function refreshTokenKeeper(
  config: LedgerlinkConfig,
  secrets: Pick<SecretStore, 'get' | 'set'>,
  keyring: Keyring | undefined,
  logger: Pick<Logger, 'warn'>,
): RefreshTokenKeeper {
  if (keyring !== undefined) return new StoredRefreshTokens(secrets);
  const rotating = Object.entries(config.systems)
    .filter(([, system]) => ROTATING_KINDS.has(system.kind) && system.baseUrl !== undefined)
    .map(([name]) => name);
  if (rotating.length > 0)
    logger.warn(
      { systems: rotating },
      'no master key: rotated refresh tokens are kept in memory only, so after a restart the configured token is used again; set a master key (docs/security.md) to keep them in the secret store',
    );
  return new ProcessRefreshTokens();
}
