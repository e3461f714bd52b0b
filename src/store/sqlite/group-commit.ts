/**
 * Group commit for SQLite. better-sqlite3 is synchronous, so every COMMIT (an fsync with
 * synchronous=FULL) blocks the event loop; one transaction per write would cap throughput at the
 * disk's fsync rate and starve everything else in the process. Instead, every write queued while the
 * connection is busy joins the next batch: one BEGIN IMMEDIATE … COMMIT, each unit of work inside its
 * own SAVEPOINT so that a unit that fails (a fenced-out completion, say) is rolled back alone. A
 * caller's promise settles only after the COMMIT of its batch, so nothing is acknowledged before it
 * is durable; if the COMMIT itself fails, every unit of the batch fails.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

type Connection = Kysely<Database>;

interface QueuedWork {
  readonly run: (conn: Connection) => unknown;
  readonly resolve: (value: never) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitHooks {
  /** Whether the connection is still inside a transaction (to roll back after a failed COMMIT). */
  inTransaction(): boolean;
  /** Called after a COMMIT with the number of units it made durable. */
  committed(units: number): void;
}

export class GroupCommitter {
  private queue: QueuedWork[] = [];
  private scheduled = false;
  private flushing = false;

  constructor(
    private readonly db: Connection,
    private readonly hooks: GroupCommitHooks,
    private readonly maxUnits = 512,
  ) {}

  /** Runs `work` inside the next batch's transaction; settles after that batch commits. */
  submit<T>(work: (conn: Connection) => Promise<T> | T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run: work, resolve: resolve as (value: never) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      void this.flush();
    });
  }

  /** One batch at a time; whatever queues meanwhile joins the next one. */
  private async flush(): Promise<void> {
    this.scheduled = false;
    this.flushing = true;
    try {
      await this.db.connection().execute((conn) => this.commitBatch(conn, this.queue.splice(0, this.maxUnits)));
    } catch (error) {
      // The connection itself could not be had (the store is closing): nothing queued can be written.
      for (const unit of this.queue.splice(0)) unit.reject(error);
    } finally {
      this.flushing = false;
      if (this.queue.length > 0) this.schedule();
    }
  }

  private async commitBatch(conn: Connection, batch: readonly QueuedWork[]): Promise<void> {
    if (batch.length === 0) return;
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      await sql`BEGIN IMMEDIATE`.execute(conn);
      for (const unit of batch) {
        await sql`SAVEPOINT ll_unit`.execute(conn);
        try {
          const value = await unit.run(conn);
          await sql`RELEASE ll_unit`.execute(conn);
          outcomes.push({ ok: true, value });
        } catch (error) {
          await sql`ROLLBACK TO ll_unit`.execute(conn);
          await sql`RELEASE ll_unit`.execute(conn);
          outcomes.push({ ok: false, value: error });
        }
      }
      await sql`COMMIT`.execute(conn);
    } catch (error) {
      if (this.hooks.inTransaction()) await sql`ROLLBACK`.execute(conn).catch(() => undefined);
      for (const unit of batch) unit.reject(error);
      return;
    }
    this.hooks.committed(batch.length);
    batch.forEach((unit, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) unit.resolve(outcome.value as never);
      else unit.reject(outcome.value);
    });
  }
}
