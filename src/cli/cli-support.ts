/**
 * What every command shares: where the store is (--db, LEDGERLINK_DB, default), how to name it
 * without leaking a password, the product version, and the exit codes of DESIGN.md section 11.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_DB_PATH, isPostgresUrl } from '../store/open-store.js';

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
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
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

/** Everything on standard input, without one trailing newline (what `echo` or a here-string adds). */
export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
