/**
 * PostgreSQL store: a pg pool behind Kysely. Jobs are claimed with FOR UPDATE SKIP LOCKED and workers
 * are woken with LISTEN/NOTIFY. A `schema` option confines every connection to one schema (tests give
 * each file its own).
 */
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { LedgerlinkError } from '../../canonical/errors.js';
import { applyPending, assertNotTooNew, readStatus, schemaMigrationsTable } from '../migration-runner.js';
import type {
  ClaimRequest,
  ClaimedJob,
  InboxInsertResult,
  MigrationStatus,
  NewInboxEvent,
  Store,
  Tx,
} from '../port.js';
import type { Database } from '../schema.js';
import { postgresColumnTypes, postgresMigrations } from './migrations.js';
import {
  connectOrExplain,
  DEFAULT_POOL_SIZE,
  quoteIdent,
  unavailable,
  type PostgresStoreOptions,
} from './postgres-url.js';

export { parsePostgresUrl, type PostgresStoreOptions } from './postgres-url.js';

const JOBS_CHANNEL = 'ledgerlink_jobs';
const INT8_OID = 20;
/** Epoch milliseconds and counters fit a double exactly; amounts never use int8 columns. */
const typeParsers = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  readonly db: Kysely<Database>;
  private readonly pool: pg.Pool;
  private readonly options: PostgresStoreOptions;
  private listener: pg.Client | undefined;
  private readonly listeners = new Set<() => void>();

  private constructor(options: PostgresStoreOptions, pool: pg.Pool) {
    this.options = options;
    this.pool = pool;
    this.db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }

  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const searchPath = options.schema === undefined ? undefined : `-c search_path=${quoteIdent(options.schema)}`;
    const config: pg.PoolConfig = {
      connectionString: options.connectionString,
      max: options.poolSize ?? DEFAULT_POOL_SIZE,
      types: typeParsers,
      ...(searchPath === undefined ? {} : { options: searchPath }),
    };
    // Processes starting together on a fresh database would race on CREATE … IF NOT EXISTS (PostgreSQL
    // then fails all but one with a duplicate key in its catalogue): each creation runs under the
    // migration lock, like the migrations themselves.
    const lock = migrationLockKey(options.schema);
    if (options.schema !== undefined) {
      const admin = new pg.Client({ connectionString: options.connectionString });
      await connectOrExplain(admin, options.connectionString);
      try {
        await underLock(admin, lock, `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
      } finally {
        await admin.end();
      }
    }
    const pool = new pg.Pool(config);
    pool.on('error', () => undefined);
    const client = await pool.connect().catch((cause: unknown) => {
      throw unavailable(options.connectionString, cause);
    });
    try {
      await underLock(client, lock, schemaMigrationsTable(postgresColumnTypes));
    } finally {
      client.release();
    }
    return new PostgresStore(options, pool);
  }

  async writeTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  async insertInboxBatch(events: readonly NewInboxEvent[]): Promise<InboxInsertResult[]> {
    if (events.length === 0) return [];
    // One INSERT statement is atomic and durable on its own (autocommit): one round trip per batch.
    const inserted = await this.db
      .insertInto('inbox_events')
      .values(
        events.map((e) => ({
          id: e.id,
          system: e.system,
          dedupe_key: e.dedupeKey,
          event_type: e.eventType,
          received_at: e.receivedAt,
          correlation_id: e.correlationId,
          content_type: e.contentType,
          payload: e.payload,
          headers: e.headers,
          trace_context: e.traceContext ?? null,
          status: 'received' as const,
        })),
      )
      .onConflict((oc) => oc.columns(['system', 'dedupe_key']).doNothing())
      .returning(['id'])
      .execute();
    const fresh = new Set(inserted.map((r) => r.id));
    // New events wake the dispatchers of every worker process (they also poll, so a lost wake-up costs only latency).
    if (inserted.length > 0) void sql`SELECT pg_notify(${JOBS_CHANNEL}, '')`.execute(this.db).catch(() => undefined);
    const missing = events.filter((e) => !fresh.has(e.id));
    const existing = new Map<string, { id: string; correlation_id: string }>();
    if (missing.length > 0) {
      const rows = await this.db
        .selectFrom('inbox_events')
        .select(['id', 'system', 'dedupe_key', 'correlation_id'])
        .where((eb) =>
          eb.or(missing.map((e) => eb.and([eb('system', '=', e.system), eb('dedupe_key', '=', e.dedupeKey)]))),
        )
        .execute();
      for (const row of rows) existing.set(`${row.system}\u0000${row.dedupe_key}`, row);
    }
    return events.map((e) => {
      if (fresh.has(e.id)) return { eventId: e.id, duplicate: false, correlationId: e.correlationId };
      const first = existing.get(`${e.system}\u0000${e.dedupeKey}`);
      if (first === undefined)
        throw new LedgerlinkError('LL_ERR_INTERNAL', `Inbox row for ${e.system}/${e.dedupeKey} vanished`);
      return { eventId: first.id, duplicate: true, correlationId: first.correlation_id };
    });
  }

  async claimJobs(request: ClaimRequest): Promise<ClaimedJob[]> {
    const result = await sql<{
      id: string;
      run_id: string;
      step: string;
      attempts: number;
      max_attempts: number;
      lease_token: number;
      lease_until: number;
    }>`
      UPDATE jobs SET status = 'running', lease_owner = ${request.owner}, lease_until = ${request.now + request.leaseMs},
        lease_token = lease_token + 1, attempts = attempts + 1, updated_at = ${request.now}
      WHERE id IN (
        SELECT id FROM jobs
        WHERE (status = 'queued' AND run_at <= ${request.now}) OR (status = 'running' AND lease_until < ${request.now})
        ORDER BY run_at LIMIT ${request.limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, run_id, step, attempts, max_attempts, lease_token, lease_until`.execute(this.db);
    return result.rows.map((row) => ({
      id: row.id,
      runId: row.run_id,
      step: row.step,
      attempts: row.attempts,
      maxAttempts: row.max_attempts,
      leaseToken: row.lease_token,
      leaseUntil: row.lease_until,
    }));
  }

  async signalJobs(tx: Tx): Promise<void> {
    await sql`SELECT pg_notify(${JOBS_CHANNEL}, '')`.execute(tx);
  }

  async onJobsSignal(listener: () => void): Promise<() => Promise<void>> {
    if (this.listener === undefined) {
      const client = new pg.Client({
        connectionString: this.options.connectionString,
        ...(this.options.schema === undefined ? {} : { options: `-c search_path=${quoteIdent(this.options.schema)}` }),
      });
      client.on('error', () => undefined);
      await connectOrExplain(client, this.options.connectionString);
      client.on('notification', () => {
        for (const l of this.listeners) l();
      });
      await client.query(`LISTEN ${JOBS_CHANNEL}`);
      this.listener = client;
    }
    this.listeners.add(listener);
    return async () => {
      this.listeners.delete(listener);
    };
  }

  async migrate(): Promise<MigrationStatus> {
    await this.db.transaction().execute(async (tx) => {
      // One migrator at a time across every process sharing this database (and schema).
      await sql`SELECT pg_advisory_xact_lock(hashtext(${migrationLockKey(this.options.schema)}))`.execute(tx);
      await applyPending(tx, postgresMigrations, Date.now());
    });
    return this.migrationStatus();
  }

  async migrationStatus(): Promise<MigrationStatus> {
    return readStatus(this.db, postgresMigrations);
  }

  async assertSchemaUsable(): Promise<void> {
    assertNotTooNew(await this.migrationStatus());
  }

  async ping(): Promise<void> {
    await sql`SELECT 1`.execute(this.db);
  }

  async close(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    if (listener !== undefined) await listener.end().catch(() => undefined);
    await this.db.destroy();
  }
}

/** The advisory lock migrations hold; per schema when one is named, so separate schemas migrate in parallel. */
function migrationLockKey(schema: string | undefined): string {
  return schema === undefined ? 'ledgerlink_migrate' : `ledgerlink_migrate:${schema}`;
}

/** Runs one statement in a transaction that first takes the migration lock. */
async function underLock(client: pg.ClientBase, lock: string, statement: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lock]);
    await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
