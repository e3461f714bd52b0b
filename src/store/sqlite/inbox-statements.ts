/**
 * Inserting a batch of inbox events on a raw better-sqlite3 connection: the one piece of logic both
 * the in-process path and the inbox writer thread run. A duplicate (same system and dedupe key)
 * resolves to the first delivery's event.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { InboxInsertResult, NewInboxEvent } from '../port.js';

export interface InboxStatements {
  readonly insertEvent: BetterSqlite3.Statement;
  readonly findEvent: BetterSqlite3.Statement;
}

export function prepareInboxStatements(raw: BetterSqlite3.Database): InboxStatements {
  return {
    insertEvent: raw.prepare(
      `INSERT INTO inbox_events (id, system, dedupe_key, event_type, received_at, correlation_id, content_type, payload, headers, trace_context, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received') ON CONFLICT (system, dedupe_key) DO NOTHING`,
    ),
    findEvent: raw.prepare(`SELECT id, correlation_id FROM inbox_events WHERE system = ? AND dedupe_key = ?`),
  };
}

/** Must run inside a transaction the caller commits. */
export function insertInboxEvents(statements: InboxStatements, events: readonly NewInboxEvent[]): InboxInsertResult[] {
  return events.map((e) => {
    const info = statements.insertEvent.run(
      e.id,
      e.system,
      e.dedupeKey,
      e.eventType,
      e.receivedAt,
      e.correlationId,
      e.contentType,
      e.payload,
      e.headers,
      e.traceContext ?? null,
    );
    if (info.changes === 1) return { eventId: e.id, duplicate: false, correlationId: e.correlationId };
    const first = statements.findEvent.get(e.system, e.dedupeKey) as { id: string; correlation_id: string };
    return { eventId: first.id, duplicate: true, correlationId: first.correlation_id };
  });
}

/** The pragmas every connection to a Ledgerlink SQLite file uses. */
export function configureConnection(raw: BetterSqlite3.Database, busyTimeoutMs: number): void {
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma(`busy_timeout = ${busyTimeoutMs}`);
  raw.pragma('foreign_keys = ON');
}
