/**
 * What a CLI command works with: the audited actor `cli:<os user>`, the existing store of `--db` (or
 * LEDGERLINK_DB), and the hub built over it from `--config` (composition/build-hub.ts) — the same
 * wiring as the server's. A command that works on existing data never creates or migrates a store:
 * the SQLite file must exist and its schema be current (`ledgerlink migrate` first), else a usage error.
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { LedgerlinkError } from '../canonical/errors.js';
import { buildHub, type Hub } from '../composition/build-hub.js';
import { loadConfig, type LedgerlinkConfig } from '../config/load-config.js';
import type { Engine } from '../engine/engine.js';
import { createLogger } from '../observability/logger.js';
import { configuredKeyring } from '../security/data-protection.js';
import type { Keyring } from '../security/master-keys.js';
import { isPostgresUrl, openStore } from '../store/open-store.js';
import type { Store } from '../store/port.js';
import { describeLocation, storeLocation, UsageError } from './cli-support.js';

export interface SessionOptions {
  readonly db?: string;
  readonly config?: string;
}

/** The name of the operating system user running the command (`unknown` when none can be read). */
export function osUserName(env: NodeJS.ProcessEnv = process.env): string {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    name = env['USER'] ?? env['LOGNAME'] ?? env['USERNAME'];
  }
  return name === undefined || name === '' ? 'unknown' : name;
}

/** `cli:<os user>`, what the audit log names as the one who made a change from the command line. */
export function cliActor(env: NodeJS.ProcessEnv = process.env): string {
  return `cli:${osUserName(env)}`;
}

/**
 * Opens the store of `--db` (or LEDGERLINK_DB) for a command that works on existing data. The caller
 * closes the store.
 */
export async function openExistingStore(flag: string | undefined): Promise<{ store: Store; location: string }> {
  const location = storeLocation(flag);
  if (!isPostgresUrl(location) && !existsSync(location)) throw new UsageError(`No database at ${location}`);
  const store = await openStore(location);
  try {
    const status = await store.migrationStatus();
    if (status.current === 0)
      throw new UsageError(`${describeLocation(location)} has no Ledgerlink schema; run ledgerlink migrate first`);
    if (status.pending.length > 0)
      throw new UsageError(
        `${describeLocation(location)} needs migrations ${status.pending.join(', ')}; run ledgerlink migrate first`,
      );
  } catch (error) {
    await store.close();
    throw error;
  }
  return { store, location };
}

/** Runs `work` over the existing store of `--db` and closes it afterwards. */
export async function withExistingStore<T>(
  flag: string | undefined,
  work: (store: Store, location: string) => Promise<T>,
): Promise<T> {
  const { store, location } = await openExistingStore(flag);
  try {
    return await work(store, location);
  } finally {
    await store.close();
  }
}

/**
 * Builds the hub over the existing store, as the server would from the same configuration, and
 * closes the store afterwards. Without `connectors` no credential is resolved and no flow is built.
 */
export async function withHub<T>(
  options: SessionOptions & { readonly connectors?: boolean },
  use: (hub: Hub) => Promise<T>,
): Promise<T> {
  const config = await loadConfig({ path: options.config });
  return withExistingStore(options.db, async (store) => {
    const hub = await buildHub({
      config,
      store,
      connectors: options.connectors ?? false,
      publishMappings: false,
      logger: createLogger({ level: 'silent' }),
    });
    return use(hub);
  });
}

/** The engine over the existing store, without a worker (operations on runs and exceptions). */
export function withEngine<T>(
  options: SessionOptions,
  use: (engine: Engine, config: LedgerlinkConfig) => Promise<T>,
): Promise<T> {
  return withHub(options, (hub) => use(hub.engine, hub.config));
}

export interface ProtectedStore {
  readonly store: Store;
  readonly keyring: Keyring | undefined;
  readonly location: string;
}

/** Opens the existing store with the master keyring the configuration and environment name; the caller closes it. */
export async function openProtectedStore(options: SessionOptions): Promise<ProtectedStore> {
  const config = await loadConfig({ path: options.config });
  const keyring = configuredKeyring(config.security);
  const { store, location } = await openExistingStore(options.db);
  return { store, keyring, location };
}

export function requireKeyring(keyring: Keyring | undefined): Keyring {
  if (keyring !== undefined) return keyring;
  throw new LedgerlinkError(
    'LL_ERR_MASTER_KEY_MISSING',
    'no master key: set LEDGERLINK_MASTER_KEY or security.masterKeyFile (or LEDGERLINK_MASTER_KEY_FILE)',
    {
      details: [{ path: 'LEDGERLINK_MASTER_KEY', message: 'not set' }],
    },
  );
}
