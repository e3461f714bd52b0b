/**
 * What every command shares: where the store is (--db, LEDGERLINK_DB, default), how to name it
 * without leaking a password, the product version, and the exit codes of DESIGN.md section 11.
 */
import { existsSync, readFileSync } from 'node:fs';
import { DEFAULT_DB_PATH, isPostgresUrl, openStore } from '../store/open-store.js';
import type { Store } from '../store/port.js';

export const EXIT_OK = 0;
/** A failure was found (e.g. the audit chain is broken) or the command failed. */
export const EXIT_FAILURE = 1;
/** Usage or configuration error. */
export const EXIT_USAGE = 2;

/** Thrown by a command for a usage or configuration problem it detected itself (exit 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function storeLocation(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? (env['LEDGERLINK_DB']?.trim() || DEFAULT_DB_PATH);
}

/** The location as it may be printed: a postgres URL loses its password. */
export function describeLocation(location: string): string {
  if (!isPostgresUrl(location)) return `sqlite ${location}`;
  try {
    const url = new URL(location);
    if (url.password !== '') url.password = '***';
    return `postgres ${url.toString()}`;
  } catch {
    return 'postgres (unparsable URL)';
  }
}

export function productVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: CommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Opens the store of `--db` (or LEDGERLINK_DB) for a command that works on existing data: the SQLite
 * file must exist and the schema must be there (`ledgerlink migrate` first), otherwise a usage error.
 * The caller closes the store.
 */
export async function openExistingStore(flag: string | undefined): Promise<{ store: Store; location: string }> {
  const location = storeLocation(flag);
  if (!isPostgresUrl(location) && !existsSync(location)) throw new UsageError(`No database at ${location}`);
  const store = await openStore(location);
  try {
    const status = await store.migrationStatus();
    if (status.current === 0) throw new UsageError(`${describeLocation(location)} has no Ledgerlink schema; run ledgerlink migrate first`);
    if (status.pending.length > 0) throw new UsageError(`${describeLocation(location)} needs migrations ${status.pending.join(', ')}; run ledgerlink migrate first`);
  } catch (error) {
    await store.close();
    throw error;
  }
  return { store, location };
}

/** Runs `work` over the existing store of `--db` and closes it afterwards. */
export async function withExistingStore<T>(flag: string | undefined, work: (store: Store, location: string) => Promise<T>): Promise<T> {
  const { store, location } = await openExistingStore(flag);
  try {
    return await work(store, location);
  } finally {
    await store.close();
  }
}
