/**
 * Migration 3: what operations need on top of the finance flows.
 * - On exceptions: the system the failure names (for the queue's filter) and the SLA due time;
 *   indexes on created/updated times, so new and escalated exceptions are found by a query.
 * - On jobs: `waiting_on`, the paused connector a parked job waits for (it is not claimed meanwhile).
 * - `exception_actions`: each exception's history (who did what, when, why).
 * - `payload_revisions`: the original input of a run (or payload of a quarantined event) and every
 *   operator edit of it, with author, time, reason and digest.
 * - `connector_states`: connectors paused after an auth failure, until an operator resumes them.
 * - `idempotency_keys`: API calls made with an Idempotency-Key and the response they gave (24 h).
 */
import type { MigrationDefinition } from '../migration-runner.js';
import type { ColumnTypes } from './column-types.js';

export const operations: MigrationDefinition = { version: 3, name: 'operations', statements };

function statements(t: ColumnTypes): string[] {
  return [
    `ALTER TABLE exceptions ADD COLUMN system TEXT`,
    `ALTER TABLE exceptions ADD COLUMN sla_due_at ${t.bigint}`,
    `CREATE INDEX IF NOT EXISTS exceptions_created ON exceptions (created_at)`,
    `CREATE INDEX IF NOT EXISTS exceptions_updated ON exceptions (updated_at)`,
    `CREATE INDEX IF NOT EXISTS exceptions_event ON exceptions (event_id)`,
    `CREATE INDEX IF NOT EXISTS exceptions_job ON exceptions (job_id)`,
    `ALTER TABLE jobs ADD COLUMN waiting_on TEXT`,
    `CREATE INDEX IF NOT EXISTS jobs_waiting_on ON jobs (waiting_on)`,
    `CREATE INDEX IF NOT EXISTS runs_status_updated ON runs (status, updated_at)`,
    `CREATE TABLE IF NOT EXISTS exception_actions (
      id ${t.serialKey},
      exception_id TEXT NOT NULL,
      action TEXT NOT NULL,
      actor TEXT NOT NULL,
      reason TEXT,
      data TEXT NOT NULL,
      at ${t.bigint} NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS exception_actions_exception ON exception_actions (exception_id, id)`,
    `CREATE INDEX IF NOT EXISTS exception_actions_at ON exception_actions (at)`,
    `CREATE TABLE IF NOT EXISTS payload_revisions (
      id ${t.serialKey},
      run_id TEXT,
      event_id TEXT,
      revision INTEGER NOT NULL,
      payload TEXT NOT NULL,
      digest TEXT NOT NULL,
      bytes ${t.bigint} NOT NULL,
      author TEXT NOT NULL,
      reason TEXT NOT NULL,
      created_at ${t.bigint} NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS payload_revisions_run ON payload_revisions (run_id, revision)`,
    `CREATE INDEX IF NOT EXISTS payload_revisions_event ON payload_revisions (event_id, revision)`,
    `CREATE TABLE IF NOT EXISTS connector_states (
      system TEXT PRIMARY KEY,
      status TEXT NOT NULL,
      since ${t.bigint} NOT NULL,
      reason TEXT,
      exception_id TEXT,
      changed_by TEXT NOT NULL,
      updated_at ${t.bigint} NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS connector_states_updated ON connector_states (updated_at)`,
    `CREATE TABLE IF NOT EXISTS idempotency_keys (
      scope TEXT NOT NULL,
      idempotency_key TEXT NOT NULL,
      request_hash TEXT NOT NULL,
      status TEXT NOT NULL,
      response_status INTEGER,
      response_body TEXT,
      created_at ${t.bigint} NOT NULL,
      expires_at ${t.bigint} NOT NULL,
      PRIMARY KEY (scope, idempotency_key)
    )`,
    `CREATE INDEX IF NOT EXISTS idempotency_keys_expiry ON idempotency_keys (expires_at)`,
  ];
}
