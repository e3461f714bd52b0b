/**
 * Migration 4: what reconciliation and alerting keep.
 * - `reconciliations`: one row per reconciliation run — who ran it, the period and filters, the
 *   counts, and the full result (JSON) so `GET /v1/reconciliations/:id` answers it again unchanged.
 * - `alert_deliveries`: outbound alert webhooks, one row per (exception, kind, route); the unique key
 *   is what makes an alert fire once. Delivery is retried with backoff until delivered or given up.
 * - `alert_cursors`: how far the alert scan of new exceptions has read (created_at, id).
 * - `exceptions.alerted_at` / `exceptions.sla_alerted_at`: per-exception markers, set in the same
 *   transaction that queues the deliveries, so a restart neither loses nor repeats an alert.
 */
import type { MigrationDefinition } from '../migration-runner.js';
import type { ColumnTypes } from './column-types.js';

export const reconciliationsAndAlerts: MigrationDefinition = {
  version: 4,
  name: 'reconciliations and alerts',
  statements,
};

function statements(t: ColumnTypes): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS reconciliations (
      id TEXT PRIMARY KEY,
      created_at ${t.bigint} NOT NULL,
      created_by TEXT NOT NULL,
      period_from TEXT NOT NULL,
      period_to TEXT NOT NULL,
      entity TEXT,
      processes TEXT NOT NULL,
      counts TEXT NOT NULL,
      result TEXT NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS reconciliations_created ON reconciliations (created_at)`,
    `CREATE TABLE IF NOT EXISTS alert_deliveries (
      id TEXT PRIMARY KEY,
      exception_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      route TEXT NOT NULL,
      owner TEXT NOT NULL,
      payload TEXT NOT NULL,
      status TEXT NOT NULL,
      attempts ${t.bigint} NOT NULL,
      next_attempt_at ${t.bigint} NOT NULL,
      last_error TEXT,
      created_at ${t.bigint} NOT NULL,
      updated_at ${t.bigint} NOT NULL,
      delivered_at ${t.bigint},
      UNIQUE (exception_id, kind, route)
    )`,
    `CREATE INDEX IF NOT EXISTS alert_deliveries_due ON alert_deliveries (status, next_attempt_at)`,
    `CREATE TABLE IF NOT EXISTS alert_cursors (
      name TEXT PRIMARY KEY,
      created_at ${t.bigint} NOT NULL,
      exception_id TEXT NOT NULL
    )`,
    `ALTER TABLE exceptions ADD COLUMN alerted_at ${t.bigint}`,
    `ALTER TABLE exceptions ADD COLUMN sla_alerted_at ${t.bigint}`,
    `CREATE INDEX IF NOT EXISTS exceptions_alerts ON exceptions (status, created_at)`,
  ];
}
