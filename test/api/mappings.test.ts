/**
 * The mappings API over real HTTP on both stores: the configured directory published at start,
 * registration, segregation of duties (alice authors, alice cannot approve, bob can), publication
 * superseding the current set, rejection, fixture runs, and the audit rows written for each step.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createApp, type LedgerlinkApp } from '../../src/app.js';
import { isLedgerlinkError } from '../../src/canonical/errors.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/observability/logger.js';
import { TokenStore } from '../../src/security/api-tokens.js';
import { errorCode, request, startApp, type Answer, type AppFixture } from './app-fixture.js';
import { createTestDatabase, storeKinds } from '../helpers/stores.js';

const fixtures = fileURLToPath(new URL('../fixtures/mappings/', import.meta.url));
const travelText = readFileSync(`${fixtures}travel.yaml`, 'utf8');
const hotelsText = travelText.replace('61009000', '61009100');
const mealsText = travelText.replace('61009000', '61009200');

/**
 * Sets `request.principal` from the bearer token where nothing else has: authentication is wired by
 * the server itself elsewhere, and this keeps the identity-based checks testable either way.
 */
function resolvePrincipals(app: LedgerlinkApp): void {
  const tokens = new TokenStore(app.store);
  app.server?.addHook('onRequest', async (req) => {
    if (req.principal !== undefined) return;
    const presented = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const result = await tokens.authenticate(presented);
    if (result.ok) req.principal = { tokenId: result.token.id, name: result.token.name, roles: result.token.roles };
  });
}

interface Record_ {
  version: string;
  status: string;
  author: string;
  approvedBy: string | null;
  created?: boolean;
  rejectionReason?: string | null;
}

for (const kind of storeKinds) {
  describe(`mappings API [${kind}]`, () => {
    let f: AppFixture;
    let alice: Record<string, string>;
    let bob: Record<string, string>;
    let adminAlice: Record<string, string>;
    const call = (method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Answer> =>
      request(`${f.url}${path}`, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    let travelVersion: string;
    let hotelsVersion: string;

    before(async () => {
      f = await startApp(kind, 'mappings_api', {
        config: { mappings: { directory: fixtures } },
        beforeStart: resolvePrincipals,
      });
      const bearer = async (roles: string[], name: string) => ({
        authorization: `Bearer ${await f.tokenFor(roles, name)}`,
      });
      alice = await bearer(['mapping-author'], 'alice');
      bob = await bearer(['mapping-approver'], 'bob');
      adminAlice = await bearer(['admin', 'mapping-author', 'mapping-approver'], 'alice');
    });
    after(async () => f.close());

    test('the configured directory is published at start by config:<file>', async () => {
      const list = await call('GET', '/v1/mappings?status=published', f.auth);
      assert.equal(list.status, 200, list.text);
      const [published, ...others] = (list.json as { mappings: Record_[] }).mappings;
      assert.equal(others.length, 0);
      assert.equal(published?.author, 'config:travel.yaml');
      assert.equal(published?.approvedBy, 'config:travel.yaml');
      assert.match(published?.version ?? '', /^travel@[0-9a-f]{12}$/);
      travelVersion = published!.version;
      assert.equal((await f.app.mappings.source.current()).version, travelVersion);
    });

    test('alice registers a set: 201 pending; the same content again answers the stored version, 200', async () => {
      const posted = await call('POST', '/v1/mappings', alice, { content: hotelsText });
      assert.equal(posted.status, 201, posted.text);
      const record = posted.json as Record_;
      assert.equal(record.status, 'pending_approval');
      assert.equal(record.author, 'alice');
      assert.equal(record.created, true);
      hotelsVersion = record.version;
      const again = await call('POST', '/v1/mappings', f.auth, { content: `# the same set\n${hotelsText}` });
      assert.equal(again.status, 200, again.text);
      assert.deepEqual(
        [(again.json as Record_).version, (again.json as Record_).author, (again.json as Record_).created],
        [hotelsVersion, 'alice', false],
      );
    });

    test('an invalid set is 400 LL_ERR_MAPPING_INVALID with every problem by path', async () => {
      const answer = await call('POST', '/v1/mappings', alice, {
        content: 'label: x\nlookups:\n  t:\n    keys: [a]\n    rows:\n      - { v: "1" }\nextra: 1\n',
      });
      assert.equal(answer.status, 400);
      assert.equal(errorCode(answer), 'LL_ERR_MAPPING_INVALID');
      const details = (answer.json as { error: { details: { path: string; line?: number }[] } }).error.details;
      assert.deepEqual(
        details.map((d) => [d.path, d.line]),
        [
          ['extra', 7],
          ['lookups.t.rows[0]', 6],
        ],
      );
    });

    test('alice cannot approve her own set, not even with an admin token holding both roles', async () => {
      // Her author token lacks the approver role; her admin token has it, and identity still refuses.
      for (const [headers, code] of [
        [alice, 'LL_ERR_FORBIDDEN'],
        [adminAlice, 'LL_ERR_SEGREGATION_OF_DUTIES'],
      ] as const) {
        const answer = await call('POST', `/v1/mappings/${hotelsVersion}/approve`, headers);
        assert.equal(answer.status, 403, answer.text);
        assert.equal(errorCode(answer), code);
      }
      assert.equal((await f.app.mappings.source.current()).version, travelVersion);
    });

    test('bob approves: the set is published and the previous one superseded', async () => {
      const answer = await call('POST', `/v1/mappings/${hotelsVersion}/approve`, bob);
      assert.equal(answer.status, 200, answer.text);
      assert.deepEqual([(answer.json as Record_).status, (answer.json as Record_).approvedBy], ['published', 'bob']);
      const current = await f.app.mappings.source.current();
      assert.equal(current.version, hotelsVersion);
      assert.deepEqual(current.lookup('expense-account', { expenseType: 'HOTEL', country: 'FR', entity: '1' }), {
        glAccount: '61009100',
        taxCode: 'V0',
      });
      const previous = await call('GET', `/v1/mappings/${travelVersion}`, f.auth);
      assert.equal((previous.json as Record_).status, 'superseded');
      assert.equal(
        (await f.app.mappings.source.byVersion(travelVersion)).version,
        travelVersion,
        'a replay can still use the old version',
      );
      const again = await call('POST', `/v1/mappings/${hotelsVersion}/approve`, bob);
      assert.equal(again.status, 409);
      assert.equal(errorCode(again), 'LL_ERR_ILLEGAL_TRANSITION');
    });

    test('bob rejects a set with a reason; it can no longer be approved', async () => {
      const posted = await call('POST', '/v1/mappings', alice, { content: mealsText });
      const version = (posted.json as Record_).version;
      const rejected = await call('POST', `/v1/mappings/${version}/reject`, bob, {
        reason: 'meals belong in another table',
      });
      assert.equal(rejected.status, 200, rejected.text);
      assert.deepEqual(
        [(rejected.json as Record_).status, (rejected.json as Record_).rejectionReason],
        ['rejected', 'meals belong in another table'],
      );
      assert.equal((await call('POST', `/v1/mappings/${version}/approve`, bob)).status, 409);
      const noReason = await call('POST', `/v1/mappings/${version}/reject`, bob, {});
      assert.equal(errorCode(noReason), 'LL_ERR_BAD_REQUEST');
    });

    test('GET one version gives its content; the list filters by status; unknown versions are 404', async () => {
      const one = await call('GET', `/v1/mappings/${hotelsVersion}`, f.auth);
      assert.equal(one.status, 200);
      assert.equal((one.json as { content: string }).content, hotelsText);
      const all = (await call('GET', '/v1/mappings', f.auth)).json as { mappings: Record_[] };
      assert.deepEqual(all.mappings.map((m) => m.status).sort(), ['published', 'rejected', 'superseded']);
      assert.equal(errorCode(await call('GET', '/v1/mappings/travel@000000000000', f.auth)), 'LL_ERR_NOT_FOUND');
      assert.equal(errorCode(await call('GET', '/v1/mappings?status=bogus', f.auth)), 'LL_ERR_BAD_REQUEST');
    });

    test("POST /v1/mappings/test runs the set's own tests and the given cases, with differences", async () => {
      const cases = [
        {
          name: 'hotel account',
          lookup: 'expense-account',
          input: { expenseType: 'HOTEL', country: 'DE', entity: '1' },
          expect: { glAccount: '61009000' },
        },
        {
          name: 'gross',
          transform: 'gross-amount',
          input: { net: '100.00', rate: '0.07', currency: 'EUR' },
          expect: '107.00',
        },
      ];
      const byContent = await call('POST', '/v1/mappings/test', bob, { content: travelText, cases });
      assert.equal(byContent.status, 200, byContent.text);
      const body = byContent.json as {
        version: string;
        summary: unknown;
        results: { name: string; passed: boolean }[];
      };
      assert.equal(body.version, travelVersion);
      assert.deepEqual(body.summary, { total: 6, passed: 6, failed: 0 });

      const byVersion = await call('POST', '/v1/mappings/test', bob, { version: hotelsVersion, cases });
      const failed = byVersion.json as {
        summary: unknown;
        results: { name: string; passed: boolean; differences: unknown[] }[];
      };
      assert.deepEqual(failed.summary, { total: 6, passed: 5, failed: 1 });
      assert.deepEqual(
        failed.results.find((r) => !r.passed),
        {
          name: 'hotel account',
          source: 'cases',
          kind: 'lookup',
          target: 'expense-account',
          passed: false,
          differences: [{ path: 'glAccount', expected: '61009000', actual: '61009100' }],
        },
      );

      const badCase = await call('POST', '/v1/mappings/test', bob, {
        version: hotelsVersion,
        cases: [{ name: 'x', lookup: 'nope', input: {}, expect: {} }],
      });
      assert.equal(errorCode(badCase), 'LL_ERR_MAPPING_INVALID');
      assert.equal(errorCode(await call('POST', '/v1/mappings/test', bob, {})), 'LL_ERR_BAD_REQUEST');
      assert.equal(
        errorCode(await call('POST', '/v1/mappings/test', bob, { version: 'travel@000000000000' })),
        'LL_ERR_NOT_FOUND',
      );
    });

    test('every registration, approval, rejection and publication is in the audit log with the content hash', async () => {
      const rows = await f.app.store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('subject', 'like', 'mapping:%')
        .orderBy('seq')
        .execute();
      const steps = rows.map((r) => `${r.action} ${r.actor}`);
      assert.deepEqual(steps, [
        'mapping.registered config:travel.yaml',
        'mapping.approved config:travel.yaml',
        'mapping.published config:travel.yaml',
        'mapping.registered token:alice',
        'mapping.approved token:bob',
        'mapping.superseded token:bob',
        'mapping.published token:bob',
        'mapping.registered token:alice',
        'mapping.rejected token:bob',
      ]);
      for (const row of rows) assert.match((JSON.parse(row.data) as { hash: string }).hash, /^[0-9a-f]{64}$/);
      assert.equal((await f.app.engine.verifyAudit()).ok, true);
    });
  });
}

describe('mappings directory at start-up', () => {
  test('an invalid set in the directory stops start-up with LL_ERR_CONFIG_INVALID naming file and path', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'll-mappings-dir-'));
    const database = await createTestDatabase('sqlite', 'mappings_dir');
    try {
      writeFileSync(
        join(directory, 'broken.yaml'),
        'label: broken\nlookups:\n  t: { keys: [a], rows: [{ a: "1" }, { a: "1" }] }\n',
      );
      const config = resolveConfig({ mappings: { directory } }, 'test', {});
      await assert.rejects(
        createApp({ db: database.location, config, logger: createLogger({ level: 'silent' }), runtimeMetrics: false }),
        (e: unknown) => {
          assert.ok(isLedgerlinkError(e));
          assert.equal(e.code, 'LL_ERR_CONFIG_INVALID');
          assert.match(e.details[0]?.path ?? '', /^mappings\.directory: .*broken\.yaml lookups\.t\.rows\[1\]$/);
          return true;
        },
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
      await database.drop();
    }
  });
});
