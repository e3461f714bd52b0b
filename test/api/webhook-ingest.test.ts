/**
 * Standard Webhooks verification on POST /v1/events/:system over real HTTP, on both stores, through
 * the real server with a settable engine clock: the specification's test vector, missing headers,
 * bad signatures, stale and future timestamps, several signatures, re-serialised bodies, secret
 * rotation, signed but unparsable bodies (202 and quarantined), duplicates by webhook-id, signatures
 * that replace the bearer token, and unsigned systems unchanged.
 */
import assert from 'node:assert/strict';
import { createMappings } from '../../src/hub/mapping-sets/mappings.js';
import { after, before, describe, test } from 'node:test';
import type { ApiServer } from '../../src/api/api-context.js';
import { buildServer } from '../../src/api/server.js';
import { BASE64_PAYLOAD_MARKER } from '../../src/api/strict-json-body.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { Engine } from '../../src/engine/engine.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { TokenStore } from '../../src/security/api-tokens.js';
import { EnvSecretResolver } from '../../src/security/secret-resolver.js';
import { generateWebhookSecret, signStandardWebhook } from '../../src/security/webhook-signatures.js';
import { openTestStore, storeKinds, type TestStore } from '../helpers/stores.js';
import { errorCode, postEvent, type Answer } from './app-fixture.js';

/** The test vector published with the Standard Webhooks specification. */
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const CURRENT = generateWebhookSecret();
const OLD = generateWebhookSecret();
const VENDOR = generateWebhookSecret();

interface Accepted {
  readonly eventId: string;
  readonly duplicate: boolean;
}

for (const kind of storeKinds) {
  describe(`webhook signatures on ingest [${kind}]`, () => {
    let t: TestStore;
    let server: ApiServer;
    let engine: Engine;
    let url: string;
    let auth: Record<string, string>;
    const clock = { seconds: VECTOR.timestamp };

    before(async () => {
      t = await openTestStore(kind, 'api_webhooks');
      const config = resolveConfig(
        {
          systems: {
            erp: { kind: 'sap-s4hana' },
            spec: { kind: 'echo', webhook: { scheme: 'standard-webhooks', secrets: [{ env: 'SPEC_SECRET' }] } },
            expense: {
              kind: 'concur',
              webhook: { scheme: 'standard-webhooks', secrets: [{ env: 'EXPENSE_NEW' }, { env: 'EXPENSE_OLD' }] },
            },
            vendor: {
              kind: 'coupa',
              webhook: {
                scheme: 'standard-webhooks',
                secrets: [{ env: 'VENDOR_SECRET' }],
                replacesToken: true,
                toleranceSeconds: 60,
              },
            },
          },
        },
        'test',
        {},
      );
      engine = new Engine({ store: t.store, flows: [], now: () => clock.seconds * 1000 });
      const secrets = new EnvSecretResolver({
        SPEC_SECRET: VECTOR.secret,
        EXPENSE_NEW: CURRENT,
        EXPENSE_OLD: OLD,
        VENDOR_SECRET: VENDOR,
      });
      server = await buildServer(
        {
          engine,
          metrics: new Metrics({ runtime: false }),
          config,
          lifecycle: { shuttingDown: false },
          secrets,
          mappings: createMappings(t.store),
        },
        { logger: createLogger({ level: 'silent' }) },
      );
      url = await server.listen({ port: 0, host: '127.0.0.1' });
      auth = {
        authorization: `Bearer ${(await new TokenStore(t.store).create({ name: 'hook-admin', roles: ['admin'] })).secret}`,
      };
    });
    after(async () => {
      await server.close();
      await engine.ingest.drain();
      await t.close();
    });

    const signed = (
      id: string,
      body: string | Uint8Array,
      secret: string | readonly string[] = CURRENT,
      at = clock.seconds,
    ) =>
      signStandardWebhook({
        id,
        rawBody: typeof body === 'string' ? Buffer.from(body) : body,
        secret,
        timestamp: new Date(at * 1000),
      });
    const inboxCount = async (system: string): Promise<number> =>
      (await t.store.db.selectFrom('inbox_events').select('id').where('system', '=', system).execute()).length;
    const accepted = (answer: Answer): Accepted => {
      assert.equal(answer.status, 202, answer.text);
      return answer.json as Accepted;
    };

    test('the specification test vector verifies; its body re-serialised does not', async () => {
      clock.seconds = VECTOR.timestamp;
      const headers = {
        'webhook-id': VECTOR.id,
        'webhook-timestamp': String(VECTOR.timestamp),
        'webhook-signature': VECTOR.signature,
      };
      const body = accepted(await postEvent(url, 'spec', VECTOR.body, { ...auth, ...headers }));
      const row = await t.store.db
        .selectFrom('inbox_events')
        .selectAll()
        .where('id', '=', body.eventId)
        .executeTakeFirstOrThrow();
      assert.equal(row.payload, VECTOR.body, 'stored byte for byte');
      assert.equal(row.dedupe_key, VECTOR.id);
      const reserialised = await postEvent(url, 'spec', JSON.stringify(JSON.parse(VECTOR.body)), {
        ...auth,
        ...headers,
        'webhook-id': 'msg_other',
      });
      assert.equal(reserialised.status, 401);
      assert.equal(errorCode(reserialised), 'LL_ERR_SIGNATURE_INVALID');
    });

    test('missing headers, a bad signature, stale and future timestamps: 401 and nothing stored', async () => {
      clock.seconds = 1_760_000_000;
      const before = await inboxCount('expense');
      const body = '{"id":"EXP-1"}';
      const good = signed('msg_bad_1', body);
      const cases: [Record<string, string>, string][] = [
        [{}, 'LL_ERR_SIGNATURE_MISSING'],
        [
          { 'webhook-id': good['webhook-id'], 'webhook-timestamp': good['webhook-timestamp'] },
          'LL_ERR_SIGNATURE_MISSING',
        ],
        [{ ...good, 'webhook-signature': 'v1,' + Buffer.alloc(32, 7).toString('base64') }, 'LL_ERR_SIGNATURE_INVALID'],
        [signed('msg_bad_1', body, generateWebhookSecret()), 'LL_ERR_SIGNATURE_INVALID'],
        [signed('msg_bad_1', body, CURRENT, clock.seconds - 301), 'LL_ERR_SIGNATURE_STALE'],
        [signed('msg_bad_1', body, CURRENT, clock.seconds + 301), 'LL_ERR_SIGNATURE_STALE'],
        [{ ...good, 'webhook-id': 'msg_bad_2' }, 'LL_ERR_SIGNATURE_INVALID'],
      ];
      for (const [headers, code] of cases) {
        const answer = await postEvent(url, 'expense', body, { ...auth, ...headers });
        assert.equal(answer.status, 401, code);
        assert.equal(errorCode(answer), code);
      }
      assert.equal(await inboxCount('expense'), before, 'nothing stored');
      const audited = await t.store.db
        .selectFrom('audit_log')
        .select('data')
        .where('action', '=', 'auth.denied')
        .execute();
      const reasons = new Set(audited.map((r) => (JSON.parse(r.data) as { reason: string }).reason));
      for (const reason of ['signature_missing', 'signature_invalid', 'signature_stale'])
        assert.ok(reasons.has(reason), reason);
      assert.equal(
        (await postEvent(url, 'expense', body, { ...auth, ...signed('msg_bad_1', body, CURRENT, clock.seconds - 299) }))
          .status,
        202,
        'inside the tolerance',
      );
    });

    test('several signatures with one valid pass; old and new secrets both verify during rotation', async () => {
      clock.seconds = 1_760_000_100;
      const body = '{"id":"EXP-2"}';
      const valid = signed('msg_multi', body);
      const multi = {
        ...valid,
        'webhook-signature': `v1,${Buffer.alloc(32, 1).toString('base64')} v2,whatever ${valid['webhook-signature']}`,
      };
      accepted(await postEvent(url, 'expense', body, { ...auth, ...multi }));
      accepted(
        await postEvent(url, 'expense', '{"id":"EXP-3"}', { ...auth, ...signed('msg_old', '{"id":"EXP-3"}', OLD) }),
      );
      accepted(
        await postEvent(url, 'expense', '{"id":"EXP-4"}', {
          ...auth,
          ...signed('msg_both', '{"id":"EXP-4"}', [OLD, CURRENT]),
        }),
      );
    });

    test('a signed body that does not parse is 202, quarantined with a validation exception, never dropped', async () => {
      clock.seconds = 1_760_000_200;
      const cases: [string, string | Uint8Array, string][] = [
        ['msg_q_malformed', '{id:1}', 'LL_ERR_JSON_MALFORMED'],
        ['msg_q_dupkey', '{"a":1,"a":2}', 'LL_ERR_JSON_DUPLICATE_KEY'],
        ['msg_q_proto', '{"x":{"__proto__":{"polluted":true}}}', 'LL_ERR_JSON_FORBIDDEN_KEY'],
        ['msg_q_deep', '['.repeat(200) + ']'.repeat(200), 'LL_ERR_JSON_TOO_DEEP'],
        [
          'msg_q_utf8',
          Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
          'LL_ERR_JSON_MALFORMED',
        ],
        ['msg_q_empty', '', 'LL_ERR_JSON_MALFORMED'],
      ];
      for (const [id, body, code] of cases) {
        const { eventId, duplicate } = accepted(
          await postEvent(url, 'expense', body, { ...auth, ...signed(id, body) }),
        );
        assert.equal(duplicate, false, id);
        const row = await t.store.db
          .selectFrom('inbox_events')
          .selectAll()
          .where('id', '=', eventId)
          .executeTakeFirstOrThrow();
        assert.equal(row.status, 'quarantined', id);
        assert.equal(row.dedupe_key, id);
        const exceptions = await t.store.db
          .selectFrom('exceptions')
          .selectAll()
          .where('event_id', '=', eventId)
          .execute();
        assert.equal(exceptions.length, 1, id);
        assert.deepEqual(
          [exceptions[0]!.class, exceptions[0]!.code, exceptions[0]!.status],
          ['validation', code, 'open'],
          id,
        );
        if (typeof body === 'string') assert.equal(row.payload, body, `${id} kept as text`);
        else
          assert.equal(
            row.payload,
            BASE64_PAYLOAD_MARKER + Buffer.from(body).toString('base64'),
            `${id} kept as marked base64`,
          );
      }
      const again = accepted(
        await postEvent(url, 'expense', '{id:1}', { ...auth, ...signed('msg_q_malformed', '{id:1}') }),
      );
      assert.equal(again.duplicate, true);
      const first = await t.store.db
        .selectFrom('inbox_events')
        .select('id')
        .where('dedupe_key', '=', 'msg_q_malformed')
        .execute();
      assert.equal(first.length, 1);
      assert.equal(again.eventId, first[0]!.id);
      assert.equal(
        (await t.store.db.selectFrom('exceptions').select('id').where('event_id', '=', again.eventId).execute()).length,
        1,
        'one exception',
      );
    });

    test('a duplicate delivery with the same webhook-id gets the same eventId and duplicate: true', async () => {
      clock.seconds = 1_760_000_300;
      const body = '{"id":"EXP-9"}';
      const first = accepted(await postEvent(url, 'expense', body, { ...auth, ...signed('msg_dup', body) }));
      clock.seconds += 30;
      const second = accepted(await postEvent(url, 'expense', body, { ...auth, ...signed('msg_dup', body) }));
      assert.deepEqual([second.eventId, second.duplicate, first.duplicate], [first.eventId, true, false]);
    });

    test('a bearer token is still needed unless the signature replaces it', async () => {
      clock.seconds = 1_760_000_400;
      const body = '{"id":"V-1"}';
      const noToken = await postEvent(url, 'expense', body, signed('msg_nt', body));
      assert.equal(noToken.status, 401);
      assert.equal(errorCode(noToken), 'LL_ERR_UNAUTHENTICATED');
      accepted(await postEvent(url, 'vendor', body, signed('msg_v1', body, VENDOR)));
      const unsigned = await postEvent(url, 'vendor', body);
      assert.equal(unsigned.status, 401);
      assert.equal(errorCode(unsigned), 'LL_ERR_SIGNATURE_MISSING');
      const badToken = await postEvent(url, 'vendor', body, {
        authorization: 'Bearer llt_' + 'B'.repeat(43),
        ...signed('msg_v2', body, VENDOR),
      });
      assert.equal(badToken.status, 401, 'a token that is sent is checked');
      assert.equal(errorCode(badToken), 'LL_ERR_UNAUTHENTICATED');
      const stale = await postEvent(url, 'vendor', body, signed('msg_v3', body, VENDOR, clock.seconds - 61));
      assert.equal(errorCode(stale), 'LL_ERR_SIGNATURE_STALE', 'the system tolerance applies');
    });

    test('an unsigned system keeps refusing bad JSON with a 4xx', async () => {
      const answer = await postEvent(url, 'erp', '{"a":1,"a":2}', auth);
      assert.equal(answer.status, 400);
      assert.equal(errorCode(answer), 'LL_ERR_JSON_DUPLICATE_KEY');
      assert.equal((await postEvent(url, 'erp', '{"ok":true}', { ...auth, 'webhook-id': 'erp-1' })).status, 202);
    });
  });
}
