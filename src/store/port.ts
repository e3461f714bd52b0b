/**
 * The Store port: what the engine needs from a database, implemented once per dialect in sqlite/ and
 * postgres/ with the same file set. Plain queries go through Kysely (`db`, or the `tx` handed to a
 * transaction callback); the few operations whose SQL differs by dialect are methods here.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';
export type Tx = Kysely<Database>;

export interface NewInboxEvent {
  readonly id: string;
  readonly system: string;
  readonly dedupeKey: string;
  readonly eventType: string;
  readonly receivedAt: number;
  readonly correlationId: string;
  readonly contentType: string;
  readonly payload: string;
  readonly headers: string;
  /** The W3C traceparent of the span that received the event; null or absent when untraced. */
  readonly traceContext?: string | null;
}

export interface InboxInsertResult {
  /** The stored event's id: the new one, or the first delivery's for a duplicate. */
  readonly eventId: string;
  readonly duplicate: boolean;
  readonly correlationId: string;
}

export interface ClaimRequest {
  readonly owner: string;
  readonly limit: number;
  readonly leaseMs: number;
  readonly now: number;
}

export interface ClaimedJob {
  readonly id: string;
  readonly runId: string;
  readonly step: string;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly leaseToken: number;
  readonly leaseUntil: number;
}

export interface MigrationStatus {
  readonly current: number;
  readonly known: number;
  readonly pending: readonly number[];
}

export interface Store {
  readonly dialect: Dialect;
  /** Root Kysely instance. Inside a transaction callback use its `tx` instead, never this. */
  readonly db: Kysely<Database>;
  /** A write transaction: BEGIN IMMEDIATE on SQLite, READ COMMITTED on PostgreSQL. */
  writeTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Inserts a batch of inbox events in one durable transaction; duplicates resolve to the first. */
  insertInboxBatch(events: readonly NewInboxEvent[]): Promise<InboxInsertResult[]>;
  /** Claims due jobs (and jobs whose lease expired) under a fresh lease and fencing token. */
  claimJobs(request: ClaimRequest): Promise<ClaimedJob[]>;
  /** Wakes workers after `tx` commits (NOTIFY on PostgreSQL, an in-process signal on SQLite). */
  signalJobs(tx: Tx): Promise<void>;
  /** Subscribes to job signals; returns an unsubscribe function. */
  onJobsSignal(listener: () => void): Promise<() => Promise<void>>;
  migrate(): Promise<MigrationStatus>;
  migrationStatus(): Promise<MigrationStatus>;
  /** Throws LL_ERR_SCHEMA_TOO_NEW when the database was migrated by a newer build. */
  assertSchemaUsable(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
