/**
 * Master keys for envelope encryption: a keyring of 256-bit AES keys, each named by a key id. The
 * current key wraps the data keys of new records; every other key in the ring still unwraps the
 * records written under it, so rotation never strands a row.
 *
 * Keys come from the environment (`LEDGERLINK_MASTER_KEY`, base64 of 32 bytes, named by
 * `LEDGERLINK_MASTER_KEY_ID`, default `env`) or from a key file (`LEDGERLINK_MASTER_KEY_FILE` or an
 * explicit path): JSON `{ "keys": [{ "id": "k1", "key": "<base64>" }], "current": "k1" }`, readable by
 * its owner only (mode 0600 or 0400; any group or other permission bit is refused). When both are
 * given the file's keys and the environment key are merged and the file's `current` stays current.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { LedgerlinkError, type ErrorDetail } from '../canonical/errors.js';

export const MASTER_KEY_BYTES = 32;
export const DEFAULT_ENV_KEY_ID = 'env';
/** Key ids appear in envelopes and associated data: short, printable, no separators. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function invalid(message: string, details: readonly ErrorDetail[] = [], cause?: unknown): LedgerlinkError {
  return new LedgerlinkError(
    'LL_ERR_MASTER_KEY_INVALID',
    message,
    cause === undefined ? { details } : { details, cause },
  );
}

export function assertKeyId(id: string, path = 'id'): void {
  if (!KEY_ID_PATTERN.test(id)) {
    throw invalid(`master key id ${JSON.stringify(id)} is not valid`, [
      { path, message: `must match ${KEY_ID_PATTERN.source}` },
    ]);
  }
}

/** Decodes a base64 master key; it must be exactly 32 bytes. The key itself never appears in errors. */
export function decodeMasterKey(text: string, path: string): Buffer {
  const trimmed = text.trim();
  if (!BASE64.test(trimmed))
    throw invalid('master key is not base64', [{ path, message: 'must be base64 of 32 bytes' }]);
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== MASTER_KEY_BYTES) {
    throw invalid(`master key is ${key.length} bytes, not ${MASTER_KEY_BYTES}`, [
      { path, message: 'must be base64 of 32 bytes' },
    ]);
  }
  return key;
}

/** A fresh random master key, base64: what `ledgerlink keys rotate` puts into the key file. */
export function generateMasterKey(): string {
  return randomBytes(MASTER_KEY_BYTES).toString('base64');
}

/** An immutable set of master keys with one current key. */
export class Keyring {
  readonly currentKeyId: string;
  readonly #keys: ReadonlyMap<string, Buffer>;

  constructor(keys: ReadonlyMap<string, Buffer> | Iterable<readonly [string, Buffer]>, currentKeyId: string) {
    const copy = new Map<string, Buffer>();
    for (const [id, key] of keys) {
      assertKeyId(id);
      if (key.length !== MASTER_KEY_BYTES)
        throw invalid(`master key ${id} is ${key.length} bytes, not ${MASTER_KEY_BYTES}`);
      copy.set(id, Buffer.from(key));
    }
    if (copy.size === 0) throw new LedgerlinkError('LL_ERR_MASTER_KEY_MISSING', 'the keyring holds no master key');
    if (!copy.has(currentKeyId)) throw unknownKey(currentKeyId, [...copy.keys()]);
    this.#keys = copy;
    this.currentKeyId = currentKeyId;
  }

  /** The ids in the ring, in insertion order. */
  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  has(keyId: string): boolean {
    return this.#keys.has(keyId);
  }

  /** The key for an id; LL_ERR_MASTER_KEY_UNKNOWN when the ring does not hold it. */
  key(keyId: string): Buffer {
    const key = this.#keys.get(keyId);
    if (key === undefined) throw unknownKey(keyId, this.keyIds);
    return key;
  }

  /** A ring with one more key (or a key replaced), optionally making it current. */
  withKey(keyId: string, key: Buffer, options: { current?: boolean } = {}): Keyring {
    const keys = new Map(this.#keys);
    keys.set(keyId, key);
    return new Keyring(keys, options.current === true ? keyId : this.currentKeyId);
  }

  withCurrent(keyId: string): Keyring {
    return new Keyring(this.#keys, keyId);
  }

  /** A ring without a retired key; the current key cannot be removed. */
  withoutKey(keyId: string): Keyring {
    if (keyId === this.currentKeyId) throw invalid(`master key ${keyId} is current and cannot be removed`);
    const keys = new Map(this.#keys);
    keys.delete(keyId);
    return new Keyring(keys, this.currentKeyId);
  }
}

function unknownKey(keyId: string, known: readonly string[]): LedgerlinkError {
  return new LedgerlinkError(
    'LL_ERR_MASTER_KEY_UNKNOWN',
    `no master key with id ${JSON.stringify(keyId)} in the keyring`,
    {
      details: [{ path: 'keyId', message: `known key ids: ${known.join(', ') || '(none)'}`, keyId }],
    },
  );
}

interface KeyFileContent {
  readonly keys: Map<string, Buffer>;
  readonly current: string;
}

/** Reads and checks a key file: owner-only mode, JSON of the documented shape, unique valid ids. */
export function readKeyFile(path: string): KeyFileContent {
  let mode: number;
  let text: string;
  try {
    mode = statSync(path).mode;
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw invalid(
      `master key file ${path} cannot be read`,
      [{ path, message: cause instanceof Error ? cause.message : String(cause) }],
      cause,
    );
  }
  if ((mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    throw invalid(`master key file ${path} has mode ${octal}; it must be readable by its owner only (chmod 600)`, [
      { path, message: `mode ${octal} refused`, mode: octal },
    ]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw invalid(`master key file ${path} is not valid JSON`, [{ path, message: 'not valid JSON' }], cause);
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { keys?: unknown }).keys)) {
    throw invalid(`master key file ${path} must be an object with a "keys" array`, [
      { path: 'keys', message: 'must be an array' },
    ]);
  }
  const { keys: list, current } = parsed as { keys: unknown[]; current?: unknown };
  const keys = new Map<string, Buffer>();
  list.forEach((entry, index) => {
    const id: unknown = (entry as { id?: unknown } | null)?.id;
    const key: unknown = (entry as { key?: unknown } | null)?.key;
    if (typeof id !== 'string' || typeof key !== 'string') {
      throw invalid(`master key file ${path}: keys[${index}] needs a string "id" and "key"`, [
        { path: `keys/${index}`, message: 'needs id and key' },
      ]);
    }
    assertKeyId(id, `keys/${index}/id`);
    if (keys.has(id))
      throw invalid(`master key file ${path}: key id ${id} appears twice`, [
        { path: `keys/${index}/id`, message: 'duplicate id' },
      ]);
    keys.set(id, decodeMasterKey(key, `keys/${index}/key`));
  });
  if (keys.size === 0) throw new LedgerlinkError('LL_ERR_MASTER_KEY_MISSING', `master key file ${path} holds no key`);
  const chosen = current ?? (keys.size === 1 ? [...keys.keys()][0] : undefined);
  if (typeof chosen !== 'string') {
    throw invalid(`master key file ${path} holds several keys and must name the "current" one`, [
      { path: 'current', message: 'required' },
    ]);
  }
  if (!keys.has(chosen)) throw unknownKey(chosen, [...keys.keys()]);
  return { keys, current: chosen };
}

export interface KeyringSources {
  /** Environment to read `LEDGERLINK_MASTER_KEY`, `LEDGERLINK_MASTER_KEY_ID`, `LEDGERLINK_MASTER_KEY_FILE` from. */
  readonly env?: NodeJS.ProcessEnv;
  /** Key file path; overrides `LEDGERLINK_MASTER_KEY_FILE`. */
  readonly keyFile?: string;
}

/** Builds the keyring from the environment and/or a key file; LL_ERR_MASTER_KEY_MISSING when neither has a key. */
export function loadKeyring(sources: KeyringSources = {}): Keyring {
  const env = sources.env ?? process.env;
  const keyFile = sources.keyFile ?? (env['LEDGERLINK_MASTER_KEY_FILE'] || undefined);
  const envKey = env['LEDGERLINK_MASTER_KEY'];
  const keys = new Map<string, Buffer>();
  let current: string | undefined;
  if (keyFile !== undefined) {
    const file = readKeyFile(keyFile);
    for (const [id, key] of file.keys) keys.set(id, key);
    current = file.current;
  }
  if (envKey !== undefined && envKey !== '') {
    const id = env['LEDGERLINK_MASTER_KEY_ID'] || DEFAULT_ENV_KEY_ID;
    assertKeyId(id, 'LEDGERLINK_MASTER_KEY_ID');
    const key = decodeMasterKey(envKey, 'LEDGERLINK_MASTER_KEY');
    const existing = keys.get(id);
    if (existing !== undefined && !existing.equals(key)) {
      throw invalid(`master key id ${id} has different keys in the environment and the key file`, [
        { path: 'LEDGERLINK_MASTER_KEY_ID', message: 'conflicting key' },
      ]);
    }
    keys.set(id, key);
    current ??= id;
  }
  if (current === undefined) {
    throw new LedgerlinkError(
      'LL_ERR_MASTER_KEY_MISSING',
      'no master key: set LEDGERLINK_MASTER_KEY (base64 of 32 bytes) or LEDGERLINK_MASTER_KEY_FILE',
      {
        details: [{ path: 'LEDGERLINK_MASTER_KEY', message: 'not set' }],
      },
    );
  }
  return new Keyring(keys, current);
}
