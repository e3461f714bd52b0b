import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { isLedgerlinkError } from '../canonical/errors.js';
import {
  DEFAULT_TOLERANCE_SECONDS,
  SecretRing,
  generateWebhookSecret,
  signStandardWebhook,
  signatureError,
  verifyStandardWebhook,
  webhookSecretKey,
  type WebhookVerification,
} from './webhook-signatures.js';

/**
 * The test vector of the Standard Webhooks reference library (standard-webhooks/standard-webhooks,
 * libraries/javascript/src/webhook.test.ts, "sign function works"); the expected signature was also
 * recomputed independently with `openssl dgst -sha256 -mac HMAC` over the same bytes.
 */
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  payload: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
} as const;

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const at = (seconds: number): Date => new Date(seconds * 1000);
const vectorHeaders = (): Record<string, string> => ({
  'webhook-id': VECTOR.id,
  'webhook-timestamp': String(VECTOR.timestamp),
  'webhook-signature': VECTOR.signature,
});

function expectFailure(result: WebhookVerification, reason: string): void {
  assert.equal(result.ok, false, 'expected the message to be refused');
  if (!result.ok) assert.equal(result.reason, reason, result.message);
}

describe('Standard Webhooks test vector', () => {
  test('signing the vector gives the published signature', () => {
    const headers = signStandardWebhook({
      id: VECTOR.id,
      rawBody: enc(VECTOR.payload),
      secret: VECTOR.secret,
      timestamp: at(VECTOR.timestamp),
    });
    assert.deepEqual(headers, vectorHeaders());
  });

  test('the published signature verifies at its timestamp', () => {
    const result = verifyStandardWebhook({
      headers: vectorHeaders(),
      rawBody: enc(VECTOR.payload),
      secrets: [VECTOR.secret],
      now: at(VECTOR.timestamp),
    });
    assert.deepEqual(result, { ok: true, id: VECTOR.id, timestamp: VECTOR.timestamp, secretIndex: 0 });
  });

  test('independent computation of the algorithm agrees', () => {
    const key = Buffer.from(VECTOR.secret.slice('whsec_'.length), 'base64');
    const mac = createHmac('sha256', key).update(`${VECTOR.id}.${VECTOR.timestamp}.${VECTOR.payload}`).digest('base64');
    assert.equal(`v1,${mac}`, VECTOR.signature);
  });
});

describe('verifyStandardWebhook', () => {
  const secret = generateWebhookSecret();
  const body = enc('{"amount":"12.50","currency":"EUR"}');
  const now = new Date('2026-03-01T12:00:00Z');
  const signed = (over: { secret?: string; timestamp?: Date; id?: string } = {}): Record<string, string> =>
    signStandardWebhook({
      id: over.id ?? 'msg_1',
      rawBody: body,
      secret: over.secret ?? secret,
      timestamp: over.timestamp ?? now,
    });
  const verify = (
    headers: Record<string, string> | Headers,
    extra: { rawBody?: Uint8Array; secrets?: string[]; toleranceSeconds?: number } = {},
  ) =>
    verifyStandardWebhook({
      headers,
      rawBody: extra.rawBody ?? body,
      secrets: extra.secrets ?? [secret],
      now,
      ...(extra.toleranceSeconds === undefined ? {} : { toleranceSeconds: extra.toleranceSeconds }),
    });

  test('a freshly signed message verifies; headers match case-insensitively, also as fetch Headers', () => {
    const headers = signed();
    assert.equal(verify(headers).ok, true);
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    assert.equal(verify(upper).ok, true);
    assert.equal(verify(new Headers(headers)).ok, true);
  });

  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    test(`missing ${name} → LL_ERR_SIGNATURE_MISSING`, () => {
      const headers = signed();
      delete headers[name];
      const result = verify(headers);
      expectFailure(result, 'LL_ERR_SIGNATURE_MISSING');
      if (!result.ok) assert.match(result.message, new RegExp(name));
    });
    test(`empty ${name} → LL_ERR_SIGNATURE_MISSING`, () => {
      expectFailure(verify({ ...signed(), [name]: '  ' }), 'LL_ERR_SIGNATURE_MISSING');
    });
  }

  test('no headers at all → LL_ERR_SIGNATURE_MISSING naming all three', () => {
    const result = verify({});
    expectFailure(result, 'LL_ERR_SIGNATURE_MISSING');
    if (!result.ok) assert.match(result.message, /webhook-id, webhook-timestamp, webhook-signature/);
  });

  test('bad signatures → LL_ERR_SIGNATURE_INVALID', () => {
    const good = signed()['webhook-signature']!;
    const flipped = good.slice(0, 10) + (good[10] === 'A' ? 'B' : 'A') + good.slice(11);
    for (const sig of [
      flipped,
      'v1,dawfeoifkpqwoekfpqoekf',
      good.slice(0, 8),
      'v1,',
      'v2,' + good.slice(3),
      good.slice(3),
      good + 'x',
    ]) {
      expectFailure(verify({ ...signed(), 'webhook-signature': sig }), 'LL_ERR_SIGNATURE_INVALID');
    }
  });

  test('wrong secret, changed id or changed timestamp → invalid', () => {
    expectFailure(verify(signed({ secret: generateWebhookSecret() })), 'LL_ERR_SIGNATURE_INVALID');
    expectFailure(verify({ ...signed(), 'webhook-id': 'msg_2' }), 'LL_ERR_SIGNATURE_INVALID');
    const seconds = Math.floor(now.getTime() / 1000);
    expectFailure(verify({ ...signed(), 'webhook-timestamp': String(seconds + 1) }), 'LL_ERR_SIGNATURE_INVALID');
  });

  test('a non-numeric timestamp → invalid', () => {
    for (const stamp of ['hello', '1.5e9', '-1', '1614265330.5', '0x10']) {
      expectFailure(verify({ ...signed(), 'webhook-timestamp': stamp }), 'LL_ERR_SIGNATURE_INVALID');
    }
  });

  test('timestamp outside the tolerance, in the past and in the future → LL_ERR_SIGNATURE_STALE', () => {
    const tol = DEFAULT_TOLERANCE_SECONDS;
    assert.equal(tol, 300);
    const past = new Date(now.getTime() - (tol + 1) * 1000);
    const future = new Date(now.getTime() + (tol + 1) * 1000);
    expectFailure(verify(signed({ timestamp: past })), 'LL_ERR_SIGNATURE_STALE');
    expectFailure(verify(signed({ timestamp: future })), 'LL_ERR_SIGNATURE_STALE');
    // exactly on the edge still passes, both ways
    assert.equal(verify(signed({ timestamp: new Date(now.getTime() - tol * 1000) })).ok, true);
    assert.equal(verify(signed({ timestamp: new Date(now.getTime() + tol * 1000) })).ok, true);
  });

  test('a stale message is refused even with a valid signature; the vector is stale today', () => {
    const result = verifyStandardWebhook({
      headers: vectorHeaders(),
      rawBody: enc(VECTOR.payload),
      secrets: [VECTOR.secret],
    });
    expectFailure(result, 'LL_ERR_SIGNATURE_STALE');
  });

  test('a custom tolerance applies', () => {
    const older = signed({ timestamp: new Date(now.getTime() - 60_000) });
    assert.equal(verify(older, { toleranceSeconds: 60 }).ok, true);
    expectFailure(verify(older, { toleranceSeconds: 59 }), 'LL_ERR_SIGNATURE_STALE');
  });

  test('several signatures, one valid, in any position → passes', () => {
    const good = signed()['webhook-signature']!;
    const junk = [
      'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=',
      'v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=',
      'v1a,xyz',
    ];
    for (const list of [
      [good, ...junk],
      [...junk, good],
      [junk[0]!, good, junk[1]!],
    ]) {
      assert.equal(verify({ ...signed(), 'webhook-signature': list.join(' ') }).ok, true, list.join(' '));
    }
    expectFailure(verify({ ...signed(), 'webhook-signature': junk.join(' ') }), 'LL_ERR_SIGNATURE_INVALID');
  });

  test('a re-serialised body (same JSON, different bytes) fails', () => {
    const original = '{"test": 2432232314}';
    const reserialised = JSON.stringify(JSON.parse(original) as unknown);
    assert.notEqual(reserialised, original);
    assert.deepEqual(JSON.parse(reserialised), JSON.parse(original));
    const result = verifyStandardWebhook({
      headers: vectorHeaders(),
      rawBody: enc(reserialised),
      secrets: [VECTOR.secret],
      now: at(VECTOR.timestamp),
    });
    expectFailure(result, 'LL_ERR_SIGNATURE_INVALID');
    // and a trailing newline or a BOM is a different message too
    for (const bytes of [enc(original + '\n'), Uint8Array.from([0xef, 0xbb, 0xbf, ...enc(original)])]) {
      expectFailure(
        verifyStandardWebhook({
          headers: vectorHeaders(),
          rawBody: bytes,
          secrets: [VECTOR.secret],
          now: at(VECTOR.timestamp),
        }),
        'LL_ERR_SIGNATURE_INVALID',
      );
    }
  });

  test('raw bytes that are not valid UTF-8 are signed and verified as bytes', () => {
    const raw = Uint8Array.from([0xff, 0xfe, 0x00, 0x80, 0x41]);
    const headers = signStandardWebhook({ id: 'msg_bin', rawBody: raw, secret, timestamp: now });
    assert.equal(verifyStandardWebhook({ headers, rawBody: raw, secrets: [secret], now }).ok, true);
    expectFailure(
      verifyStandardWebhook({ headers, rawBody: enc(Buffer.from(raw).toString('utf8')), secrets: [secret], now }),
      'LL_ERR_SIGNATURE_INVALID',
    );
  });

  test('the same header twice with different values → invalid; identical repeats are fine', () => {
    const headers = signed();
    const twice = { ...headers, 'Webhook-Id': 'msg_other' };
    expectFailure(verify(twice), 'LL_ERR_SIGNATURE_INVALID');
    assert.equal(verify({ ...headers, 'Webhook-Id': headers['webhook-id']! }).ok, true);
    const asArray: Record<string, string | string[]> = { ...headers, 'webhook-id': ['msg_1', 'msg_x'] };
    expectFailure(
      verifyStandardWebhook({ headers: asArray, rawBody: body, secrets: [secret], now }),
      'LL_ERR_SIGNATURE_INVALID',
    );
  });

  test('several secrets: any one verifies and its index is reported', () => {
    const other = generateWebhookSecret();
    const result = verify(signed(), { secrets: [other, secret] });
    assert.ok(result.ok);
    assert.equal(result.secretIndex, 1);
  });

  test('signing with several secrets emits one signature each, all verifiable', () => {
    const other = generateWebhookSecret();
    const headers = signStandardWebhook({ id: 'msg_1', rawBody: body, secret: [secret, other], timestamp: now });
    assert.equal(headers['webhook-signature'].split(' ').length, 2);
    assert.equal(verify(headers, { secrets: [other] }).ok, true);
    assert.equal(verify(headers, { secrets: [secret] }).ok, true);
  });

  test('signatureError gives a 401 LedgerlinkError with the reason as code', () => {
    const result = verify({});
    assert.ok(!result.ok);
    const error = signatureError(result);
    assert.equal(error.code, 'LL_ERR_SIGNATURE_MISSING');
    assert.equal(error.status, 401);
  });
});

describe('webhook secrets', () => {
  test('malformed or weak secrets are configuration errors that do not echo the secret', () => {
    for (const bad of [
      '',
      'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'whsec_',
      'whsec_not base64!!',
      'whsec_QUJD',
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS',
    ]) {
      assert.throws(
        () => webhookSecretKey(bad),
        (e: unknown) =>
          isLedgerlinkError(e) && e.code === 'LL_ERR_CONFIG_INVALID' && (bad.length < 8 || !e.message.includes(bad)),
        bad,
      );
    }
    assert.equal(webhookSecretKey(VECTOR.secret).length, 24);
  });

  test('verification with no secrets, a bad secret or a negative tolerance throws LL_ERR_CONFIG_INVALID', () => {
    const base = { headers: vectorHeaders(), rawBody: enc(VECTOR.payload), now: at(VECTOR.timestamp) };
    for (const input of [
      { ...base, secrets: [] },
      { ...base, secrets: ['nope'] },
      { ...base, secrets: [VECTOR.secret], toleranceSeconds: -1 },
    ]) {
      assert.throws(
        () => verifyStandardWebhook(input),
        (e: unknown) => isLedgerlinkError(e) && e.code === 'LL_ERR_CONFIG_INVALID',
      );
    }
  });

  test('generated secrets are whsec_ + 32 random bytes', () => {
    const a = generateWebhookSecret();
    assert.match(a, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(webhookSecretKey(a).length, 32);
    assert.notEqual(a, generateWebhookSecret());
  });
});

describe('SecretRing rotation', () => {
  const oldSecret = generateWebhookSecret();
  const newSecret = generateWebhookSecret();
  const rotatedAt = new Date('2026-03-01T00:00:00Z');
  const overlapUntil = new Date('2026-03-08T00:00:00Z');
  const ring = new SecretRing(oldSecret).rotate(newSecret, overlapUntil);
  const body = enc('{"event":"invoice.approved"}');

  const deliver = (signWith: string, when: Date): WebhookVerification =>
    verifyStandardWebhook({
      headers: signStandardWebhook({ id: 'msg_r', rawBody: body, secret: signWith, timestamp: when }),
      rawBody: body,
      secrets: ring.secretsAt(when),
      now: when,
    });

  test('during the overlap both old and new verify', () => {
    const during = new Date(rotatedAt.getTime() + 86_400_000);
    const viaNew = deliver(newSecret, during);
    const viaOld = deliver(oldSecret, during);
    assert.ok(viaNew.ok && viaNew.secretIndex === 0);
    assert.ok(viaOld.ok && viaOld.secretIndex === 1);
    assert.deepEqual(ring.secretsAt(new Date(overlapUntil.getTime() - 1)), [newSecret, oldSecret]);
  });

  test('from the overlap deadline on, the old secret fails and the new one still verifies', () => {
    expectFailure(deliver(oldSecret, overlapUntil), 'LL_ERR_SIGNATURE_INVALID');
    expectFailure(deliver(oldSecret, new Date(overlapUntil.getTime() + 86_400_000)), 'LL_ERR_SIGNATURE_INVALID');
    assert.equal(deliver(newSecret, new Date(overlapUntil.getTime() + 86_400_000)).ok, true);
    assert.deepEqual(ring.secretsAt(overlapUntil), [newSecret]);
  });

  test('signing uses the current secret; a second rotation drops the oldest', () => {
    assert.equal(ring.signingSecret(), newSecret);
    const third = generateWebhookSecret();
    const again = ring.rotate(third, new Date('2026-04-01T00:00:00Z'));
    assert.deepEqual(again.secretsAt(new Date('2026-03-02T00:00:00Z')), [third, newSecret]);
    assert.ok(!again.secretsAt(new Date('2026-03-02T00:00:00Z')).includes(oldSecret));
  });

  test("the ring validates its secrets and deadline, and is not changed by the caller's Date", () => {
    assert.throws(
      () => new SecretRing('whsec_short'),
      (e: unknown) => isLedgerlinkError(e) && e.code === 'LL_ERR_CONFIG_INVALID',
    );
    assert.throws(
      () => ring.rotate('bad', overlapUntil),
      (e: unknown) => isLedgerlinkError(e) && e.code === 'LL_ERR_CONFIG_INVALID',
    );
    assert.throws(
      () => new SecretRing(newSecret).rotate(oldSecret, new Date(Number.NaN)),
      (e: unknown) => isLedgerlinkError(e) && e.code === 'LL_ERR_CONFIG_INVALID',
    );
    const deadline = new Date('2026-05-01T00:00:00Z');
    const r = new SecretRing(newSecret).rotate(generateWebhookSecret(), deadline);
    deadline.setFullYear(2030);
    assert.equal(r.secretsAt(new Date('2027-01-01T00:00:00Z')).length, 1);
  });
});
