/**
 * Envelope encryption for connector credentials and stored payloads.
 *
 * Each record gets a fresh random 256-bit data key. The payload is sealed with AES-256-GCM under that
 * data key; the data key is sealed (wrapped) with AES-256-GCM under a master key from the keyring,
 * named by its key id. The record's id is associated data of both: ciphertext copied to another row
 * fails to decrypt, and so does a wrapped key copied to another row or relabelled with another key id.
 *
 * Binary layouts (each stored base64 in its column):
 *   ciphertext  = 0x01 | iv (12) | tag (16) | AES-256-GCM(data key, payload)
 *   wrapped key = 0x01 | iv (12) | tag (16) | AES-256-GCM(master key, data key)   (61 bytes)
 * Associated data:
 *   payload  "ledgerlink/v1/payload\0"  + recordId
 *   data key "ledgerlink/v1/data-key\0" + keyId + "\0" + recordId
 * Single-column form: `lle1:<keyId>:<wrapped key base64url>:<ciphertext base64url>` — the record id
 * is never inside the envelope; it comes from the row being read.
 *
 * `rewrap` opens only the data key and seals it under another master key; the payload ciphertext is
 * left byte for byte as it was. That is what `ledgerlink keys rotate` runs over every row.
 */
import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import { LedgerlinkError } from '../canonical/errors.js';
import { KEY_ID_PATTERN, type Keyring } from './master-keys.js';

export const ENVELOPE_VERSION = 0x01;
export const ENVELOPE_PREFIX = 'lle1:';
const DATA_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

/** A sealed record as the columns hold it (`secrets.key_id`, `wrapped_key`, `ciphertext`), with the row's id. */
export interface SealedRecord {
  readonly recordId: string;
  readonly keyId: string;
  /** base64 of the wrapped data key. */
  readonly wrappedKey: string;
  /** base64 of the sealed payload. */
  readonly ciphertext: string;
}

/**
 * Fresh random bytes for data keys and IVs, drawn from a pool refilled 4 KiB at a time: each call to
 * the system's random source costs about as much for 4 KiB as for 12 bytes, and sealing an event
 * needs three draws per column. Every byte is handed out once and zeroed in the pool when taken.
 */
const RANDOM_POOL_BYTES = 4096;
const randomPool = Buffer.alloc(RANDOM_POOL_BYTES);
let randomPoolOffset = RANDOM_POOL_BYTES;

function freshRandomBytes(size: number): Buffer {
  if (randomPoolOffset + size > RANDOM_POOL_BYTES) {
    randomFillSync(randomPool);
    randomPoolOffset = 0;
  }
  const taken = Buffer.from(randomPool.subarray(randomPoolOffset, randomPoolOffset + size));
  randomPool.fill(0, randomPoolOffset, randomPoolOffset + size);
  randomPoolOffset += size;
  return taken;
}

const payloadAad = (recordId: string): Buffer => Buffer.from(`ledgerlink/v1/payload\0${recordId}`, 'utf8');
const dataKeyAad = (keyId: string, recordId: string): Buffer =>
  Buffer.from(`ledgerlink/v1/data-key\0${keyId}\0${recordId}`, 'utf8');

function decryptionFailed(recordId: string, what: string, cause?: unknown): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_DECRYPTION_FAILED', `cannot decrypt record ${JSON.stringify(recordId)}: ${what}`, {
    details: [{ path: 'recordId', message: what, recordId }],
    ...(cause === undefined ? {} : { cause }),
  });
}

function assertRecordId(recordId: string): void {
  if (recordId.length === 0)
    throw new LedgerlinkError('LL_ERR_BAD_REQUEST', 'an encrypted record needs a non-empty record id');
}

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = freshRandomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([ENVELOPE_VERSION]), iv, cipher.getAuthTag(), body]);
}

/** Opens a sealed blob; any format or authentication failure is LL_ERR_DECRYPTION_FAILED. */
function open(key: Buffer, blob: Buffer, aad: Buffer, recordId: string, what: string): Buffer {
  if (blob.length < HEADER_BYTES) throw decryptionFailed(recordId, `${what} is truncated`);
  if (blob[0] !== ENVELOPE_VERSION)
    throw decryptionFailed(recordId, `${what} has unknown format version ${String(blob[0])}`);
  const iv = blob.subarray(1, 1 + IV_BYTES);
  const tag = blob.subarray(1 + IV_BYTES, HEADER_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(blob.subarray(HEADER_BYTES)), decipher.final()]);
  } catch (cause) {
    throw decryptionFailed(recordId, `${what} failed authentication (tampered, or moved from another record)`, cause);
  }
}

function fromBase64(text: string, recordId: string, what: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw decryptionFailed(recordId, `${what} is not base64`);
  return Buffer.from(text, 'base64');
}

function unwrapDataKey(keyring: Keyring, record: SealedRecord): Buffer {
  const masterKey = keyring.key(record.keyId);
  const wrapped = fromBase64(record.wrappedKey, record.recordId, 'wrapped key');
  const dataKey = open(masterKey, wrapped, dataKeyAad(record.keyId, record.recordId), record.recordId, 'wrapped key');
  if (dataKey.length !== DATA_KEY_BYTES) {
    dataKey.fill(0);
    throw decryptionFailed(record.recordId, 'wrapped key does not hold a 256-bit data key');
  }
  return dataKey;
}

function wrapDataKey(keyring: Keyring, keyId: string, recordId: string, dataKey: Buffer): string {
  return seal(keyring.key(keyId), dataKey, dataKeyAad(keyId, recordId)).toString('base64');
}

/** The wrapped data key and the sealed payload of a fresh record, as binary. */
function sealFresh(
  keyring: Keyring,
  recordId: string,
  plaintext: Buffer | string,
  keyId: string,
): { wrapped: Buffer; sealed: Buffer } {
  assertRecordId(recordId);
  const dataKey = freshRandomBytes(DATA_KEY_BYTES);
  try {
    const body = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
    const wrapped = seal(keyring.key(keyId), dataKey, dataKeyAad(keyId, recordId));
    return { wrapped, sealed: seal(dataKey, body, payloadAad(recordId)) };
  } finally {
    dataKey.fill(0);
  }
}

/** Seals a payload for one record under the keyring's current master key (or `keyId`). */
export function encryptRecord(
  keyring: Keyring,
  recordId: string,
  plaintext: Buffer | string,
  keyId: string = keyring.currentKeyId,
): SealedRecord {
  const { wrapped, sealed } = sealFresh(keyring, recordId, plaintext, keyId);
  return { recordId, keyId, wrappedKey: wrapped.toString('base64'), ciphertext: sealed.toString('base64') };
}

/** Opens a sealed record. LL_ERR_MASTER_KEY_UNKNOWN when its key id is not in the ring, LL_ERR_DECRYPTION_FAILED otherwise. */
export function decryptRecord(keyring: Keyring, record: SealedRecord): Buffer {
  assertRecordId(record.recordId);
  const dataKey = unwrapDataKey(keyring, record);
  try {
    const blob = fromBase64(record.ciphertext, record.recordId, 'ciphertext');
    return open(dataKey, blob, payloadAad(record.recordId), record.recordId, 'ciphertext');
  } finally {
    dataKey.fill(0);
  }
}

export function decryptRecordText(keyring: Keyring, record: SealedRecord): string {
  const text = new TextDecoder('utf-8', { fatal: true });
  try {
    return text.decode(decryptRecord(keyring, record));
  } catch (error) {
    if (error instanceof LedgerlinkError) throw error;
    throw decryptionFailed(record.recordId, 'plaintext is not UTF-8', error);
  }
}

/**
 * Re-wraps a record's data key under `newKeyId` (default: the ring's current key). The payload
 * ciphertext is returned unchanged. A record already under `newKeyId` is returned as it is.
 */
export function rewrap(keyring: Keyring, record: SealedRecord, newKeyId: string = keyring.currentKeyId): SealedRecord {
  assertRecordId(record.recordId);
  keyring.key(newKeyId);
  if (record.keyId === newKeyId) return record;
  const dataKey = unwrapDataKey(keyring, record);
  try {
    return { ...record, keyId: newKeyId, wrappedKey: wrapDataKey(keyring, newKeyId, record.recordId, dataKey) };
  } finally {
    dataKey.fill(0);
  }
}

/** True when a record is wrapped under a key other than the ring's current one (a `keys rotate` candidate). */
export function needsRewrap(keyring: Keyring, record: Pick<SealedRecord, 'keyId'>): boolean {
  return record.keyId !== keyring.currentKeyId;
}

const toUrl = (base64: string): string => Buffer.from(base64, 'base64').toString('base64url');

/** The single-column form of a sealed record (without its record id). */
export function serializeEnvelope(record: SealedRecord): string {
  return `${ENVELOPE_PREFIX}${record.keyId}:${toUrl(record.wrappedKey)}:${toUrl(record.ciphertext)}`;
}

export function isEnvelope(text: string): boolean {
  return text.startsWith(ENVELOPE_PREFIX);
}

/** Parses the single-column form; the record id is the row's, given by the caller. */
export function parseEnvelope(recordId: string, text: string): SealedRecord {
  if (!isEnvelope(text)) throw decryptionFailed(recordId, `envelope does not start with ${ENVELOPE_PREFIX}`);
  const parts = text.slice(ENVELOPE_PREFIX.length).split(':');
  const [keyId, wrapped, body] = parts;
  const url = /^[A-Za-z0-9_-]+$/;
  if (
    parts.length !== 3 ||
    keyId === undefined ||
    wrapped === undefined ||
    body === undefined ||
    !KEY_ID_PATTERN.test(keyId) ||
    !url.test(wrapped) ||
    !url.test(body)
  ) {
    throw decryptionFailed(recordId, 'envelope is malformed');
  }
  return {
    recordId,
    keyId,
    wrappedKey: Buffer.from(wrapped, 'base64url').toString('base64'),
    ciphertext: Buffer.from(body, 'base64url').toString('base64'),
  };
}

/** Convenience for a payload column: seal to the single-column form. */
export function encryptToEnvelope(keyring: Keyring, recordId: string, plaintext: Buffer | string): string {
  const keyId = keyring.currentKeyId;
  const { wrapped, sealed } = sealFresh(keyring, recordId, plaintext, keyId);
  return `${ENVELOPE_PREFIX}${keyId}:${wrapped.toString('base64url')}:${sealed.toString('base64url')}`;
}

/** Convenience for a payload column: open the single-column form as UTF-8 text. */
export function decryptEnvelopeText(keyring: Keyring, recordId: string, envelope: string): string {
  return decryptRecordText(keyring, parseEnvelope(recordId, envelope));
}

/** The `secrets` columns for a sealed record. */
export function toSecretColumns(record: SealedRecord): {
  id: string;
  key_id: string;
  wrapped_key: string;
  ciphertext: string;
} {
  return { id: record.recordId, key_id: record.keyId, wrapped_key: record.wrappedKey, ciphertext: record.ciphertext };
}

/** A sealed record from a `secrets` row. */
export function fromSecretRow(row: {
  id: string;
  key_id: string;
  wrapped_key: string;
  ciphertext: string;
}): SealedRecord {
  return { recordId: row.id, keyId: row.key_id, wrappedKey: row.wrapped_key, ciphertext: row.ciphertext };
}
