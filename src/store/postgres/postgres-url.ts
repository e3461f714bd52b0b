/**
 * What a postgres:// location says: the connection string pg gets, and Ledgerlink's own parameters
 * (schema, pool size); and the connection errors that name the server without its password.
 */
import type pg from 'pg';
import { LedgerlinkError } from '../../canonical/errors.js';

export interface PostgresStoreOptions {
  readonly connectionString: string;
  readonly schema?: string;
  readonly poolSize?: number;
}

/** Connections one process's pool opens at most, unless the URL's `pool_size` says otherwise. */
export const DEFAULT_POOL_SIZE = 10;

/**
 * Splits Ledgerlink's own parameters off a postgres URL (pg would otherwise pass them to the server):
 * `schema=name` confines every connection to one schema, `pool_size=N` (1-1000) caps the pool.
 */
export function parsePostgresUrl(url: string): PostgresStoreOptions {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  const poolSize = parsed.searchParams.get('pool_size');
  parsed.searchParams.delete('schema');
  parsed.searchParams.delete('pool_size');
  let size: number | undefined;
  if (poolSize !== null) {
    size = /^\d{1,4}$/.test(poolSize) ? Number(poolSize) : NaN;
    if (!(size >= 1 && size <= 1_000))
      throw new LedgerlinkError(
        'LL_ERR_CONFIG_INVALID',
        `pool_size in the postgres URL must be 1-1000, not "${poolSize}"`,
        {
          details: [{ path: 'pool_size', message: 'an integer from 1 to 1000' }],
        },
      );
  }
  return {
    connectionString: parsed.toString(),
    ...(schema === null ? {} : { schema }),
    ...(size === undefined ? {} : { poolSize: size }),
  };
}

export function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) {
    throw new LedgerlinkError('LL_ERR_CONFIG_INVALID', `Schema name ${JSON.stringify(name)} is not a plain identifier`);
  }
  return `"${name}"`;
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable postgres URL>';
  }
}

export function unavailable(url: string, cause: unknown): LedgerlinkError {
  return new LedgerlinkError(
    'LL_ERR_STORE_UNAVAILABLE',
    `Cannot reach PostgreSQL at ${redactUrl(url)}: ${cause instanceof Error ? cause.message : String(cause)}`,
    { cause },
  );
}

export async function connectOrExplain(client: pg.Client, url: string): Promise<void> {
  await client.connect().catch((cause: unknown) => {
    throw unavailable(url, cause);
  });
}
