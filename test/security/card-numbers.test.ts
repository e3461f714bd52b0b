/**
 * A card number posted in an expense memo, through the whole app on both stores, with no master key
 * (so the stored columns can be read as they are): masked to BIN + last four in inbox_events, runs,
 * exceptions, the audit log and the log stream; amounts, dates and references that merely have many
 * digits are untouched; a card number sent as a bare JSON number becomes a masked string.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createApp, type LedgerlinkApp } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/observability/logger.js';
import { TokenStore } from '../../src/security/api-tokens.js';
import { CountingSink } from '../helpers/counting-sink.js';
import { dumpDatabase } from '../helpers/database-dump.js';
import { createTestDatabase, storeKinds, type TestDatabase } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';
import { postEvent } from '../api/app-fixture.js';

const PAN = '4111 1111 1111 1111';
const PAN_DIGITS = '4111111111111111';
const AMEX = '378282246310005';
const MASKED = '4111 11** **** 1111';

/** Amounts, dates and references with many digits that are not card numbers (they fail Luhn). */
const NOT_CARDS = {
  amount: '1234567890.12',
  date: '20261124',
  reference: '4111111111111112',
  receivedAt: 1764000000000,
};

function expenseReport(id: string): string {
  return JSON.stringify({
    type: 'expense_report.approved',
    id,
    memo: `Taxi to the airport, card ${PAN}`,
    ...NOT_CARDS,
  }).replace('"receivedAt"', `"card":${AMEX},"receivedAt"`);
}

for (const kind of storeKinds) {
  describe(`card numbers are masked wherever they are written [${kind}]`, () => {
    let database: TestDatabase;
    let app: LedgerlinkApp;
    let sink: CountingSink;
    let url = '';
    let auth: Record<string, string> = {};
    const logLines: string[] = [];

    before(async () => {
      database = await createTestDatabase(kind, 'card_numbers');
      sink = new CountingSink();
      const config = resolveConfig(
        {
          engine: { pollIntervalMs: 20, leaseMs: 5_000, maxAttempts: 2, backoff: { baseMs: 10, capMs: 50 } },
          echo: { url: await sink.start(), systems: ['erp'] },
        },
        'test',
        {},
      );
      const destination = new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(
            ...chunk
              .toString('utf8')
              .split('\n')
              .filter((l) => l !== ''),
          );
          done();
        },
      });
      app = await createApp({
        db: database.location,
        config,
        logger: createLogger({ level: 'info', destination }),
        runtimeMetrics: false,
        env: {},
      });
      url = (await app.start({ port: 0, host: '127.0.0.1' })).url!;
      auth = {
        authorization: `Bearer ${(await new TokenStore(app.store).create({ name: 'admin', roles: ['admin'] })).secret}`,
      };
    });
    after(async () => {
      await app.stop();
      await sink.stop();
      await database.drop();
    });

    test('an expense memo and a bare-number card: masked in the inbox, runs, exceptions, audit and logs', async () => {
      // expense events have no flow here: quarantined with an exception; the same report to the erp makes a run
      assert.equal(
        (await postEvent(url, 'expense', expenseReport('RPT-7'), { ...auth, 'x-card-holder': `card ${PAN}` })).status,
        202,
      );
      assert.equal((await postEvent(url, 'erp', expenseReport('RPT-8'), auth)).status, 202);
      const db = app.store.db;
      await waitFor(
        'the expense event quarantined',
        async () =>
          (await db.selectFrom('inbox_events').select('id').where('status', '=', 'quarantined').execute()).length === 1,
      );
      await waitFor(
        'the erp run to succeed',
        async () => (await db.selectFrom('runs').select('id').where('status', '=', 'succeeded').execute()).length === 1,
      );

      const events = await db.selectFrom('inbox_events').selectAll().orderBy('system').execute();
      assert.equal(events.length, 2);
      for (const event of events) {
        const payload = JSON.parse(event.payload) as Record<string, unknown>;
        assert.equal(
          payload['memo'],
          `Taxi to the airport, card ${MASKED}`,
          `${event.system}: memo masked inside its JSON string`,
        );
        assert.equal(payload['card'], '378282*****0005', `${event.system}: a bare-number card becomes a masked string`);
        for (const [field, value] of Object.entries(NOT_CARDS))
          assert.equal(payload[field], value, `${event.system}: ${field} untouched`);
      }
      const expense = events.find((e) => e.system === 'expense')!;
      assert.equal((JSON.parse(expense.headers) as Record<string, string>)['x-card-holder'], `card ${MASKED}`);

      const run = await db.selectFrom('runs').selectAll().executeTakeFirstOrThrow();
      const input = JSON.parse(run.input) as Record<string, unknown>;
      assert.equal(input['memo'], `Taxi to the airport, card ${MASKED}`);
      assert.equal(input['amount'], NOT_CARDS.amount);
      assert.ok(
        sink.writes[0]!.body.includes(MASKED) && !sink.writes[0]!.body.includes(PAN),
        'what the flow posts is masked as well',
      );

      const exception = await db
        .selectFrom('exceptions')
        .selectAll()
        .where('event_id', '=', expense.id)
        .executeTakeFirstOrThrow();
      assert.equal(exception.code, 'LL_ERR_UNKNOWN_FLOW');
      const audit = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
      assert.ok(audit.some((row) => row.action === 'event.quarantined' && row.subject === expense.id));
      assert.ok(audit.some((row) => row.action === 'run.created'));

      app.logger.info({ memo: `Taxi, card ${PAN}`, card: Number(PAN_DIGITS) }, `reimbursed card ${AMEX}`);
      const quarantineLine = logLines.find((line) => line.includes('event quarantined'));
      assert.ok(quarantineLine !== undefined, 'the log stream is captured');
      const ownLine = JSON.parse(logLines.find((line) => line.includes('reimbursed'))!) as Record<string, unknown>;
      assert.equal(ownLine['msg'], 'reimbursed card 378282*****0005');
      assert.equal(ownLine['memo'], `Taxi, card ${MASKED}`);
      assert.equal(ownLine['card'], '411111******1111');

      const dump = `${await dumpDatabase(app.store)}\n${logLines.join('\n')}`;
      for (const clear of [PAN, PAN_DIGITS, AMEX]) assert.ok(!dump.includes(clear), `${clear} appears in clear`);
    });

    test('a card number in a step failure is masked in steps, jobs, exceptions and the audit log', async () => {
      sink.faultFor = (body) => (body.includes('RPT-9') ? { kind: 'status', status: 422 } : undefined);
      assert.equal(
        (await postEvent(url, 'erp', expenseReport('RPT-9'), { ...auth, 'x-correlation-id': `corr-${PAN_DIGITS}` }))
          .status,
        202,
      );
      const db = app.store.db;
      const run = await waitFor('the run in exception', async () =>
        db.selectFrom('runs').selectAll().where('status', '=', 'exception').executeTakeFirst(),
      );
      assert.equal(run.correlation_id, 'corr-411111******1111');
      const exception = await db
        .selectFrom('exceptions')
        .selectAll()
        .where('run_id', '=', run.id)
        .executeTakeFirstOrThrow();
      assert.equal(exception.class, 'business_rejection');
      const dump = await dumpDatabase(app.store);
      for (const clear of [PAN, PAN_DIGITS, AMEX]) assert.ok(!dump.includes(clear), `${clear} appears in clear`);
    });
  });
}
