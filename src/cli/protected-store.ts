/**
 * What the `secrets` and `keys` commands share: the store (--db) with the master keyring the
 * configuration (--config) and environment name, and the audit actor `cli:<os user>`.
 */
import { userInfo } from 'node:os';
import { LedgerlinkError } from '../canonical/errors.js';
import { loadConfig } from '../config/load-config.js';
import { configuredKeyring } from '../security/data-protection.js';
import type { Keyring } from '../security/master-keys.js';
import type { Store } from '../store/port.js';
import { openExistingStore } from './cli-support.js';

export interface StoreOptions {
  readonly db?: string;
  readonly config?: string;
}

export interface ProtectedStore {
  readonly store: Store;
  readonly keyring: Keyring | undefined;
  readonly location: string;
}

/** Opens a migrated store and loads the keyring; the caller closes the store. */
export async function openProtectedStore(options: StoreOptions): Promise<ProtectedStore> {
  const config = await loadConfig({ path: options.config });
  const keyring = configuredKeyring(config.security);
  const { store, location } = await openExistingStore(options.db);
  return { store, keyring, location };
}

export function requireKeyring(keyring: Keyring | undefined): Keyring {
  if (keyring !== undefined) return keyring;
  throw new LedgerlinkError('LL_ERR_MASTER_KEY_MISSING', 'no master key: set LEDGERLINK_MASTER_KEY or security.masterKeyFile (or LEDGERLINK_MASTER_KEY_FILE)', {
    details: [{ path: 'LEDGERLINK_MASTER_KEY', message: 'not set' }],
  });
}

/** `cli:<os user>`, the actor of audit rows written by a command. */
export function cliActor(env: NodeJS.ProcessEnv = process.env): string {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    name = env['USER'] ?? env['LOGNAME'];
  }
  return `cli:${name === undefined || name === '' ? 'unknown' : name}`;
}

/** Everything on standard input, without one trailing newline (what `echo` or a here-string adds). */
export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
