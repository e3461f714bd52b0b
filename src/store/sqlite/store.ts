/**
 * SQLite store: one better-sqlite3 connection in WAL mode with synchronous=FULL, shared by Kysely.
 * Kysely serialises access to the connection with a mutex. Every write goes through the group
 * committer (group-commit.ts): writes queued together share one BEGIN IMMEDIATE … COMMIT, each in its
 * own savepoint. The hot paths (ingest batches, job claims) run prepared statements on the raw driver
 * inside those batches. IMMEDIATE makes two processes on one file queue on the write lock instead of
 * failing on a read-to-write upgrade.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { withStatementCache } from './statement-cache.js';
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
import { GroupCommitter } from './group-commit.js';
import {
  configureConnection,
  insertInboxEvents,
  prepareInboxStatements,
  type InboxStatements,
} from './inbox-statements.js';
import { InboxWriter } from './inbox-writer.js';
import { sqliteColumnTypes, sqliteMigrations } from './migrations.js';

export interface SqliteStoreOptions {
  /** File path, or ':memory:'. */
  readonly path: string;
  readonly busyTimeoutMs?: number;
  /**
   * Commit ingest batches on a writer thread with its own connection, so their fsync does not block
   * the event loop (default: on for files, off for ':memory:').
   */
  readonly inboxThread?: boolean;
}

interface JobRow {
  id: string;
  run_id: string;
  step: string;
  attempts: number;
  max_attempts: number;
  lease_token: number;
  lease_until: number;
}

export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  readonly db: Kysely<Database>;
  private readonly raw: BetterSqlite3.Database;
  private readonly signals = new EventEmitter();
  /** Set by signalJobs inside a batch; the signal goes out once that batch has committed. */
  private signalAfterCommit = false;
  private readonly group: GroupCommitter;
  private prepared: HotStatements | undefined;
  /** Started on the first ingest batch, so commands that never ingest do not start a thread. */
  private inboxWriter: InboxWriter | undefined;
  private readonly useInboxThread: boolean;
  /** After close no new writer thread starts; a late batch fails on the closed connection instead. */
  private closed = false;
  private readonly path: string;
  private readonly busyTimeoutMs: number;

  constructor(options: SqliteStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    try {
      this.raw = new BetterSqlite3(options.path);
    } catch (cause) {
      throw new LedgerlinkError('LL_ERR_STORE_UNAVAILABLE', `Cannot open SQLite database at ${options.path}`, {
        cause,
      });
    }
    const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
    configureConnection(this.raw, busyTimeoutMs);
    this.useInboxThread = options.inboxThread ?? options.path !== ':memory:';
    this.path = options.path;
    this.busyTimeoutMs = busyTimeoutMs;
    this.raw.exec(schemaMigrationsTable(sqliteColumnTypes));
    this.db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(this.raw) }) });
    this.group = new GroupCommitter(this.db, {
      inTransaction: () => this.raw.inTransaction,
      committed: () => {
        if (!this.signalAfterCommit) return;
        this.signalAfterCommit = false;
        this.signals.emit('jobs');
      },
    });
  }

  /** Hot-path statements, prepared on first use (the tables exist only after migrate). */
  private get statements(): HotStatements {
    return (this.prepared ??= prepareHotStatements(this.raw));
  }

  async writeTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.group.submit(fn);
  }

  async insertInboxBatch(events: readonly NewInboxEvent[]): Promise<InboxInsertResult[]> {
    if (this.useInboxThread && !this.closed)
      return (this.inboxWriter ??= new InboxWriter(this.path, this.busyTimeoutMs)).insert(events);
    return this.group.submit(() => insertInboxEvents(this.statements, events));
  }

  async claimJobs(request: ClaimRequest): Promise<ClaimedJob[]> {
    return this.group.submit(() => {
      const ids = this.statements.dueJobs.all(request.now, request.now, request.limit) as { id: string }[];
      const leaseUntil = request.now + request.leaseMs;
      return ids.map((row) =>
        toClaimedJob(this.statements.leaseJob.get(request.owner, leaseUntil, request.now, row.id) as JobRow),
      );
    });
  }

  async signalJobs(_tx: Tx): Promise<void> {
    this.signalAfterCommit = true;
  }

  async onJobsSignal(listener: () => void): Promise<() => Promise<void>> {
    this.signals.on('jobs', listener);
    return async () => {
      this.signals.off('jobs', listener);
    };
  }

  async migrate(): Promise<MigrationStatus> {
    await this.writeTransaction((tx) => applyPending(tx, sqliteMigrations, Date.now()));
    return this.migrationStatus();
  }

  async migrationStatus(): Promise<MigrationStatus> {
    return readStatus(this.db, sqliteMigrations);
  }

  async assertSchemaUsable(): Promise<void> {
    assertNotTooNew(await this.migrationStatus());
  }

  async ping(): Promise<void> {
    await sql`SELECT 1`.execute(this.db);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.inboxWriter?.close();
    await this.db.destroy();
  }
}

interface HotStatements extends InboxStatements {
  readonly dueJobs: BetterSqlite3.Statement;
  readonly leaseJob: BetterSqlite3.Statement;
}

function prepareHotStatements(raw: BetterSqlite3.Database): HotStatements {
  return {
    ...prepareInboxStatements(raw),
    dueJobs: raw.prepare(
      `SELECT id FROM jobs WHERE (status = 'queued' AND run_at <= ?) OR (status = 'running' AND lease_until < ?)
       ORDER BY run_at LIMIT ?`,
    ),
    leaseJob: raw.prepare(
      `UPDATE jobs SET status = 'running', lease_owner = ?, lease_until = ?, lease_token = lease_token + 1,
         attempts = attempts + 1, updated_at = ? WHERE id = ?
       RETURNING id, run_id, step, attempts, max_attempts, lease_token, lease_until`,
    ),
  };
}

export function toClaimedJob(row: JobRow): ClaimedJob {
  return {
    id: row.id,
    runId: row.run_id,
    step: row.step,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    leaseToken: Number(row.lease_token),
    leaseUntil: Number(row.lease_until),
  };
}
