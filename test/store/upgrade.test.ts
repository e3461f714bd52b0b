/**
 * Upgrade, on both stores: a database made by the build before the migrations moved into numbered
 * files (commit c50a562, fixtures in test/fixtures/store/, see its README) opens with today's code,
 * is already current, and its rows are read back; a database that stopped after migration 2 gets
 * the later migrations in ascending order.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { verifyAudit } from '../../src/engine/audit-log.js';
import { migrationDefinitions } from '../../src/store/migrations/index.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/port.js';
import { postgresColumnTypes } from '../../src/store/postgres/migrations.js';
import { sqliteColumnTypes } from '../../src/store/sqlite/migrations.js';
import {
  createTestDatabase,
  storeKinds,
  testPostgresUrl,
  type StoreKind,
  type TestDatabase,
} from '../helpers/stores.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/store');
/** The schema name the PostgreSQL dump was edited to carry in place of the one it was dumped from. */
const DUMP_SCHEMA_PLACEHOLDER = '__fixture_schema__';
/** The time the fixture rows were written with (2025-11-24T16:00:00Z). */
const T = 1_764_000_000_000;

const RELEASED = [
  { version: 1, name: 'durable core' },
  { version: 2, name: 'finance flows' },
  { version: 3, name: 'operations' },
  { version: 4, name: 'reconciliations and alerts' },
  { version: 6, name: 'mapping set publication' },
  { version: 7, name: 'period calendar overrides' },
  { version: 8, name: 'supplier states' },
];
/** Migrations after the old build's (applied to its database on open) and the tables they make. */
const LATER = [9, 10, 11, 12];
/** …and the tables, indexes and triggers they make (11: the agents and their calls; 12: the KPI rollups, their triggers, the latency, close and exception page indexes). */
const LATER_TABLES = [
  'console_sessions',
  'agents',
  'agent_calls',
  'run_day_rollups',
  'posted_hour_rollups',
  'latency_rollups',
  'runs_latency_',
  'runs_rollups',
  'runs_unposted',
  'runs_posted_at',
  'exceptions_queue_page',
  'exceptions_status_page',
];
/** Columns migrations after the old build's add to its tables (10: trace context of events and runs). */
const LATER_COLUMNS = ['trace_context'];
const LATEST = 12;

/**
 * A SQLite catalogue line as the old build's would read without the columns later migrations added:
 * the CREATE TABLE text loses the `, <column> TEXT` that ALTER TABLE appended (PostgreSQL lists each
 * column on a line of its own, left out above).
 */
function withoutLaterColumns(line: string): string {
  let out = line;
  for (const column of LATER_COLUMNS) out = out.replace(new RegExp(`, ${column} TEXT`, 'g'), '');
  return out;
}

/** Puts the fixture made by the old build into a fresh test database of that kind. */
async function loadFixture(database: TestDatabase): Promise<void> {
  if (database.kind === 'sqlite') {
    writeFileSync(database.location, gunzipSync(readFileSync(join(FIXTURES, 'pre-numbered-files.sqlite.gz'))));
    return;
  }
  const schema = new URL(database.location).searchParams.get('schema') ?? '';
  assert.match(schema, /^[a-z_][a-z0-9_]*$/, 'test schemas are plain identifiers');
  const dump = readFileSync(join(FIXTURES, 'pre-numbered-files.pg.sql'), 'utf8').replaceAll(
    DUMP_SCHEMA_PLACEHOLDER,
    schema,
  );
  const client = new pg.Client({ connectionString: testPostgresUrl });
  await client.connect();
  try {
    await client.query(dump);
  } finally {
    await client.end();
  }
}

async function recordedMigrations(store: Store): Promise<{ version: number; name: string; applied_at: number }[]> {
  const rows = await store.db
    .selectFrom('schema_migrations')
    .select(['version', 'name', 'applied_at'])
    .orderBy('version')
    .execute();
  return rows.map((r) => ({ version: Number(r.version), name: r.name, applied_at: Number(r.applied_at) }));
}

/**
 * The order the catalogue holds the given tables and indexes in, which is the order they were
 * created: sqlite_master rows are appended, PostgreSQL hands out increasing OIDs.
 */
async function creationOrder(store: Store, names: readonly string[]): Promise<string[]> {
  const list = sql.join(names.map((n) => sql.lit(n)));
  const query =
    store.dialect === 'sqlite'
      ? sql<{ name: string }>`SELECT name FROM sqlite_master WHERE name IN (${list}) ORDER BY rowid`
      : sql<{ name: string }>`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = current_schema() AND c.relname IN (${list}) ORDER BY c.oid`;
  const result = await query.execute(store.db);
  return result.rows.map((r) => r.name);
}

/** Tables, columns, indexes and constraints as the catalogue describes them, schema name left out. */
async function schemaShape(store: Store): Promise<string[]> {
  if (store.dialect === 'sqlite') {
    const objects = await sql<{
      type: string;
      name: string;
      sql: string | null;
    }>`SELECT type, name, sql FROM sqlite_master ORDER BY type, name`.execute(store.db);
    return objects.rows.map((o) => `${o.type} ${o.name}: ${o.sql ?? ''}`);
  }
  const columns = await sql<{
    line: string;
  }>`SELECT table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable || ' default=' || coalesce(column_default, '') AS line
    FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`.execute(
    store.db,
  );
  const indexes = await sql<{
    line: string;
  }>`SELECT indexname || ': ' || replace(indexdef, current_schema() || '.', '') AS line
    FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`.execute(store.db);
  const constraints = await sql<{
    line: string;
  }>`SELECT conrelid::regclass::text || ' ' || conname || ': ' || pg_get_constraintdef(oid) AS line
    FROM pg_constraint WHERE connamespace = current_schema()::regnamespace ORDER BY conrelid::regclass::text, conname`.execute(
    store.db,
  );
  return [...columns.rows, ...indexes.rows, ...constraints.rows].map((r) => r.line);
}

for (const kind of storeKinds) {
  describe(`upgrade from a database made before the numbered migration files [${kind}]`, () => {
    const databases: TestDatabase[] = [];
    async function freshDatabase(label: string): Promise<TestDatabase> {
      const database = await createTestDatabase(kind, label);
      databases.push(database);
      return database;
    }
    after(async () => {
      for (const database of databases) await database.drop();
    });

    test('the old database is at version 8 with 9, 10, 11 and 12 pending, and migrate applies them alone', async () => {
      const database = await freshDatabase('upgrade_current');
      await loadFixture(database);
      const store = await openStore(database.location);
      let before: Awaited<ReturnType<typeof recordedMigrations>>;
      try {
        assert.deepEqual(await store.migrationStatus(), { current: 8, known: LATEST, pending: LATER });
        before = await recordedMigrations(store);
        assert.deepEqual(
          before.map(({ version, name }) => ({ version, name })),
          RELEASED,
        );
      } finally {
        await store.close();
      }
      const migrated = await openStore(database.location, { migrate: true });
      try {
        assert.deepEqual(await migrated.migrationStatus(), { current: LATEST, known: LATEST, pending: [] });
        const applied = await recordedMigrations(migrated);
        assert.deepEqual(applied.slice(0, before.length), before, 'no migration applied again');
        assert.deepEqual(
          applied.slice(before.length).map((r) => r.version),
          LATER,
          'only the later ones recorded anew',
        );
      } finally {
        await migrated.close();
      }
    });

    test('a database migrated today has the schema the old build made', async () => {
      const old = await freshDatabase('upgrade_old_schema');
      await loadFixture(old);
      const fresh = await freshDatabase('upgrade_new_schema');
      const oldStore = await openStore(old.location);
      let expected: string[];
      try {
        expected = await schemaShape(oldStore);
      } finally {
        await oldStore.close();
      }
      assert.ok(expected.length > 50, `the catalogue lists the old schema (${expected.length} lines)`);
      const freshStore = await openStore(fresh.location, { migrate: true });
      try {
        // Tables made by migrations after the old build's are new, and so are the columns they add; the rest is the same.
        const shape = (await schemaShape(freshStore))
          .filter((line) => !LATER_TABLES.some((t) => line.includes(t)))
          .filter((line) => !LATER_COLUMNS.some((c) => line.includes(`.${c} `)))
          .map(withoutLaterColumns);
        assert.deepEqual(shape, expected);
      } finally {
        await freshStore.close();
      }
    });

    test('the rows the old build wrote are read back, and the store keeps working on them', async () => {
      const database = await freshDatabase('upgrade_rows');
      await loadFixture(database);
      const store = await openStore(database.location, { migrate: true });
      try {
        const event = await store.db
          .selectFrom('inbox_events')
          .selectAll()
          .where('id', '=', 'evt_fixture_1')
          .executeTakeFirstOrThrow();
        assert.deepEqual(
          { ...event, received_at: Number(event.received_at) },
          {
            id: 'evt_fixture_1',
            system: 'erp',
            dedupe_key: 'fixture-d-1',
            event_type: 'test.event',
            received_at: T,
            correlation_id: 'cor_fixture_1',
            content_type: 'application/json',
            payload: '{"id":"1","amount":"12.50"}',
            headers: '{}',
            status: 'received',
            dispatched_at: null,
            note: null,
            trace_context: null,
          },
        );
        const run = await store.db
          .selectFrom('runs')
          .selectAll()
          .where('id', '=', 'run_fixture_1')
          .executeTakeFirstOrThrow();
        assert.equal(run.run_key, 'echo:erp:doc-1:v1');
        assert.equal(run.status, 'running');
        assert.equal(run.event_id, 'evt_fixture_1');
        assert.deepEqual([run.entity, run.amount, run.currency], ['DE01', '12.50', 'EUR']);
        assert.equal(Number(run.created_at), T + 1);
        const job = await store.db
          .selectFrom('jobs')
          .selectAll()
          .where('id', '=', 'job_fixture_1')
          .executeTakeFirstOrThrow();
        assert.deepEqual(
          [job.run_id, job.step, job.status, Number(job.run_at), job.waiting_on],
          ['run_fixture_1', 'echo', 'queued', T + 2, null],
        );
        const audit = await store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
        assert.deepEqual(
          audit.map((a) => [Number(a.seq), Number(a.at), a.action, a.subject, a.data]),
          [[1, T + 3, 'run.created', 'run_fixture_1', '{"documentId":"doc-1","flow":"echo"}']],
        );
        assert.deepEqual(
          await verifyAudit(store.db),
          { ok: true, rowsChecked: 1 },
          'the audit chain written by the old build verifies',
        );
        const override = await store.db.selectFrom('period_overrides').selectAll().executeTakeFirstOrThrow();
        assert.deepEqual(
          [override.entity, override.period, override.status, Number(override.updated_at)],
          ['DE01', '2025-01', 'closed', T + 4],
        );

        const again = await store.insertInboxBatch([
          {
            id: 'evt_redelivered',
            system: 'erp',
            dedupeKey: 'fixture-d-1',
            eventType: 'test.event',
            receivedAt: Date.now(),
            correlationId: 'cor_redelivered',
            contentType: 'application/json',
            payload: '{"id":"1","amount":"12.50"}',
            headers: '{}',
          },
        ]);
        assert.deepEqual(
          again.map((r) => [r.duplicate, r.eventId]),
          [[true, 'evt_fixture_1']],
          'the old event still dedupes a redelivery',
        );
        const claimed = await store.claimJobs({ owner: 'upgrade-test', limit: 10, leaseMs: 60_000, now: Date.now() });
        assert.deepEqual(
          claimed.map((j) => [j.id, j.runId, j.step]),
          [['job_fixture_1', 'run_fixture_1', 'echo']],
          'the old job is claimed',
        );
      } finally {
        await store.close();
      }
    });

    test('a database holding only migrations 1 and 2 gets 3, 4, 6, 7, 8, 9, 10 and 12, in ascending order', async () => {
      const database = await freshDatabase('upgrade_partial');
      await stopAfterMigration2(kind, database);

      const store = await openStore(database.location);
      try {
        assert.deepEqual(await store.migrationStatus(), {
          current: 2,
          known: LATEST,
          pending: [3, 4, 6, 7, 8, ...LATER],
        });
      } finally {
        await store.close();
      }
      const startedAt = Date.now();
      const migrated = await openStore(database.location, { migrate: true });
      try {
        assert.deepEqual(await migrated.migrationStatus(), { current: LATEST, known: LATEST, pending: [] });
        const recorded = await recordedMigrations(migrated);
        assert.deepEqual(
          recorded.map(({ version, name }) => ({ version, name })),
          [
            ...RELEASED,
            { version: 9, name: 'console sessions' },
            { version: 10, name: 'trace context' },
            { version: 11, name: 'agents' },
            { version: 12, name: 'kpi rollups and console indexes' },
          ],
        );
        assert.deepEqual(
          recorded.filter((r) => r.applied_at < startedAt).map((r) => r.version),
          [1, 2],
          'migrations 1 and 2 were not applied again',
        );
        // One table or index each of 3, 4, 6, 7, 8 and 9 made: they were created in that order.
        const madeBy = [
          'exception_actions',
          'reconciliations',
          'mapping_sets_content_hash',
          'period_overrides',
          'supplier_states',
          'console_sessions',
        ];
        assert.deepEqual(await creationOrder(migrated, madeBy), madeBy);
        const run = await migrated.db
          .selectFrom('runs')
          .selectAll()
          .where('id', '=', 'run_partial_1')
          .executeTakeFirstOrThrow();
        assert.deepEqual(
          [run.entity, run.amount, run.currency],
          ['DE01', '7.00', 'EUR'],
          'the row written at version 2 is kept',
        );
      } finally {
        await migrated.close();
      }
    });
  });
}

/**
 * A database as a build that knew only migrations 1 and 2 left it: their statements run by hand,
 * as released (the SQL of a released migration never changes), recorded in schema_migrations, and
 * a run row that uses a column migration 2 added.
 */
async function stopAfterMigration2(kind: StoreKind, database: TestDatabase): Promise<void> {
  const types = kind === 'sqlite' ? sqliteColumnTypes : postgresColumnTypes;
  const firstTwo = migrationDefinitions.filter((m) => m.version <= 2);
  assert.deepEqual(
    firstTwo.map((m) => m.version),
    [1, 2],
  );
  const store = await openStore(database.location);
  try {
    await store.writeTransaction(async (tx) => {
      for (const migration of firstTwo) {
        for (const statement of migration.statements(types)) await sql.raw(statement).execute(tx);
        await tx
          .insertInto('schema_migrations')
          .values({ version: migration.version, name: migration.name, applied_at: T })
          .execute();
      }
      await sql`INSERT INTO runs (id, run_key, flow, system, document_id, version, status, correlation_id, input, state, created_at, updated_at, entity, amount, currency)
        VALUES ('run_partial_1', 'echo:erp:doc-2:v1', 'echo', 'erp', 'doc-2', 'v1', 'running', 'cor_partial_1', '{}', '{}', ${T}, ${T}, 'DE01', '7.00', 'EUR')`.execute(
        tx,
      );
    });
  } finally {
    await store.close();
  }
}
