/**
 * Standard Webhooks (https://www.standardwebhooks.com) signing and verification.
 *
 * A message carries `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`, a
 * space-separated list of `v1,<base64 HMAC-SHA256>` over `<id>.<timestamp>.<raw body bytes>`. The key
 * is the base64-decoded part of a `whsec_<base64>` secret. One valid signature from any configured
 * secret is enough (rotation); the timestamp must be within the tolerance in either direction (replay).
 * Comparison is constant-time over equal-length buffers. The body is never parsed: the signature covers
 * the bytes as received, so re-serialised JSON with the same content does not verify.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { LedgerlinkError } from '../canonical/errors.js';

export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

const SECRET_PREFIX = 'whsec_';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Standard Webhooks recommends keys of 24 to 64 bytes; shorter ones are refused as too weak. */
const MIN_KEY_BYTES = 24;
const TIMESTAMP = /^[0-9]{1,15}$/;

/** Node's IncomingHttpHeaders, a plain record, or a fetch `Headers`. Names match case-insensitively. */
export type WebhookHeaders =
  { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

export type SignatureFailureCode = 'LL_ERR_SIGNATURE_MISSING' | 'LL_ERR_SIGNATURE_INVALID' | 'LL_ERR_SIGNATURE_STALE';

export type WebhookVerification =
  | {
      readonly ok: true;
      readonly id: string;
      /** `webhook-timestamp`, Unix seconds. */
      readonly timestamp: number;
      /** Index in `secrets` of the secret that verified: > 0 means the sender still signs with an older one. */
      readonly secretIndex: number;
    }
  | { readonly ok: false; readonly reason: SignatureFailureCode; readonly message: string };

export interface VerifyStandardWebhookInput {
  readonly headers: WebhookHeaders;
  readonly rawBody: Uint8Array;
  /** `whsec_<base64>` secrets, any of which may verify (current first, then older during rotation). */
  readonly secrets: readonly string[];
  readonly now?: Date;
  readonly toleranceSeconds?: number;
}

/**
 * The HMAC key of a `whsec_<base64>` secret. Throws LL_ERR_CONFIG_INVALID (without echoing the secret)
 * when the prefix is missing, the rest is not canonical base64, or the key is under 24 bytes.
 */
export function webhookSecretKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) {
    throw configError(`webhook secret must start with "${SECRET_PREFIX}"`);
  }
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (encoded.length === 0 || !BASE64.test(encoded)) {
    throw configError(`webhook secret must be "${SECRET_PREFIX}" followed by base64`);
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < MIN_KEY_BYTES) {
    throw configError(`webhook secret key is ${key.length} bytes; at least ${MIN_KEY_BYTES} are required`);
  }
  return key;
}

/** A fresh `whsec_` secret with a 32-byte random key. */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** The base64 HMAC-SHA256 of `<id>.<timestamp>.<body>` under `key`, without the `v1,` prefix. */
function computeSignature(key: Buffer, id: string, timestamp: string, rawBody: Uint8Array): string {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`, 'utf8').update(rawBody).digest('base64');
}

export interface SignStandardWebhookInput {
  readonly id: string;
  readonly rawBody: Uint8Array;
  /** One secret, or several to sign with each (the receiver may know only one during a rotation). */
  readonly secret: string | readonly string[];
  /** Defaults to now; sent as whole Unix seconds. */
  readonly timestamp?: Date;
}

/** The three Standard Webhooks headers for a message: for outbound webhooks and for tests. */
export function signStandardWebhook(input: SignStandardWebhookInput): {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
} {
  if (input.id.length === 0) throw configError('webhook id must not be empty');
  const seconds = Math.floor((input.timestamp ?? new Date()).getTime() / 1000);
  if (!Number.isSafeInteger(seconds) || seconds < 0) throw configError('webhook timestamp is not a valid date');
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  if (secrets.length === 0) throw configError('no webhook secret to sign with');
  const signatures = secrets.map(
    (s) => `v1,${computeSignature(webhookSecretKey(s), input.id, String(seconds), input.rawBody)}`,
  );
  return {
    [WEBHOOK_ID_HEADER]: input.id,
    [WEBHOOK_TIMESTAMP_HEADER]: String(seconds),
    [WEBHOOK_SIGNATURE_HEADER]: signatures.join(' '),
  };
}

/**
 * Verifies a Standard Webhooks message. Never throws for anything the sender controls: a bad message
 * is a `{ ok: false, reason }`. Throws LL_ERR_CONFIG_INVALID for an empty or malformed secret list or
 * tolerance, which are the hub's own configuration.
 */
export function verifyStandardWebhook(input: VerifyStandardWebhookInput): WebhookVerification {
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!Number.isFinite(tolerance) || tolerance < 0)
    throw configError('webhook tolerance must be a non-negative number of seconds');
  if (input.secrets.length === 0) throw configError('no webhook secret configured');
  const keys = input.secrets.map(webhookSecretKey);

  const id = readHeader(input.headers, WEBHOOK_ID_HEADER);
  const stamp = readHeader(input.headers, WEBHOOK_TIMESTAMP_HEADER);
  const signature = readHeader(input.headers, WEBHOOK_SIGNATURE_HEADER);
  const headerValues = [id, stamp, signature] as const;
  const ambiguous = headerValues.filter((h) => h.kind === 'ambiguous').map((h) => h.name);
  if (ambiguous.length > 0) {
    return fail(
      'LL_ERR_SIGNATURE_INVALID',
      `header given more than once with different values: ${ambiguous.join(', ')}`,
    );
  }
  const missing = headerValues.filter((h) => h.kind === 'missing').map((h) => h.name);
  if (id.kind !== 'value' || stamp.kind !== 'value' || signature.kind !== 'value') {
    return fail('LL_ERR_SIGNATURE_MISSING', `missing header: ${missing.join(', ')}`);
  }

  if (!TIMESTAMP.test(stamp.value)) {
    return fail('LL_ERR_SIGNATURE_INVALID', `${WEBHOOK_TIMESTAMP_HEADER} is not whole Unix seconds`);
  }
  const timestamp = Number(stamp.value);
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (timestamp < nowSeconds - tolerance) {
    return fail(
      'LL_ERR_SIGNATURE_STALE',
      `${WEBHOOK_TIMESTAMP_HEADER} is ${nowSeconds - timestamp} s in the past (tolerance ${tolerance} s)`,
    );
  }
  if (timestamp > nowSeconds + tolerance) {
    return fail(
      'LL_ERR_SIGNATURE_STALE',
      `${WEBHOOK_TIMESTAMP_HEADER} is ${timestamp - nowSeconds} s in the future (tolerance ${tolerance} s)`,
    );
  }

  const candidates = v1Signatures(signature.value);
  if (candidates.length === 0) {
    return fail('LL_ERR_SIGNATURE_INVALID', `${WEBHOOK_SIGNATURE_HEADER} holds no v1 signature`);
  }
  // The header's text is hashed with the exact timestamp digits received (leading zeros included).
  for (const [secretIndex, key] of keys.entries()) {
    const expected = Buffer.from(computeSignature(key, id.value, stamp.value, input.rawBody), 'latin1');
    for (const candidate of candidates) {
      // Lengths are public (a base64 SHA-256 is always 44 characters); only equal lengths are compared.
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) {
        return { ok: true, id: id.value, timestamp, secretIndex };
      }
    }
  }
  return fail('LL_ERR_SIGNATURE_INVALID', 'no signature matches the configured secrets');
}

/** The `v1,` entries of a signature header as buffers of their base64 text; other versions ignored. */
function v1Signatures(header: string): Buffer[] {
  const out: Buffer[] = [];
  for (const entry of header.split(' ')) {
    if (entry.startsWith('v1,')) out.push(Buffer.from(entry.slice(3), 'latin1'));
  }
  return out;
}

type HeaderRead =
  | { readonly kind: 'value'; readonly name: string; readonly value: string }
  | { readonly kind: 'missing'; readonly name: string }
  | { readonly kind: 'ambiguous'; readonly name: string };

function readHeader(headers: WebhookHeaders, name: string): HeaderRead {
  const values: string[] = [];
  if (typeof headers.get === 'function') {
    const value = (headers as { get(name: string): string | null }).get(name);
    if (value !== null) values.push(value);
  } else {
    const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() !== name) continue;
      const value = record[key];
      if (typeof value === 'string') values.push(value);
      else if (value !== undefined) values.push(...value);
    }
  }
  const distinct = [...new Set(values.map((v) => v.trim()))].filter((v) => v.length > 0);
  if (distinct.length === 0) return { kind: 'missing', name };
  if (distinct.length > 1) return { kind: 'ambiguous', name };
  return { kind: 'value', name, value: distinct[0]! };
}

function fail(reason: SignatureFailureCode, message: string): WebhookVerification {
  return { ok: false, reason, message };
}

function configError(message: string): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_CONFIG_INVALID', message, { details: [{ path: 'webhook', message }] });
}

/** The LedgerlinkError for a failed verification (status 401), for callers that throw. */
export function signatureError(failure: Extract<WebhookVerification, { ok: false }>): LedgerlinkError {
  return new LedgerlinkError(failure.reason, failure.message, { details: [{ message: failure.message }] });
}

/**
 * Webhook secret rotation: a current secret, and the previous one kept valid for verification until an
 * overlap deadline so senders can switch without losing messages. After the deadline only the current
 * secret verifies. Signing always uses the current secret. Immutable: `rotate` returns a new ring.
 */
export interface PreviousWebhookSecret {
  readonly secret: string;
  /** The previous secret verifies strictly before this instant and never from it on. */
  readonly validUntil: Date;
}

export class SecretRing {
  readonly current: string;
  readonly previous: PreviousWebhookSecret | undefined;

  /** Throws LL_ERR_CONFIG_INVALID for a malformed secret or an invalid deadline. */
  constructor(current: string, previous?: PreviousWebhookSecret) {
    webhookSecretKey(current);
    if (previous !== undefined) {
      webhookSecretKey(previous.secret);
      if (Number.isNaN(previous.validUntil.getTime())) {
        throw new LedgerlinkError('LL_ERR_CONFIG_INVALID', 'previous webhook secret has an invalid overlap deadline', {
          details: [{ path: 'webhook.previous.validUntil', message: 'not a valid date' }],
        });
      }
    }
    this.current = current;
    this.previous =
      previous === undefined ? undefined : { secret: previous.secret, validUntil: new Date(previous.validUntil) };
  }

  /**
   * A ring whose current secret is `next`; the secret that was current stays valid until `overlapUntil`.
   * A secret that was previous before is dropped.
   */
  rotate(next: string, overlapUntil: Date): SecretRing {
    return new SecretRing(next, { secret: this.current, validUntil: overlapUntil });
  }

  /** The secrets that verify at `now`, current first (for `verifyStandardWebhook`'s `secrets`). */
  secretsAt(now: Date = new Date()): readonly string[] {
    if (this.previous !== undefined && now.getTime() < this.previous.validUntil.getTime()) {
      return [this.current, this.previous.secret];
    }
    return [this.current];
  }

  /** The secret to sign outbound messages with. */
  signingSecret(): string {
    return this.current;
  }
}
