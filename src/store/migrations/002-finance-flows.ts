/**
 * Migration 2: what the finance flows and the business views need on top of the durable core.
 * - Business facts on runs (legal entity, document amount, approval, posting and payment times), so
 *   KPIs, reconciliation and exception filters read columns instead of parsing run state.
 * - Process and entity on exceptions, for the exception queue's filters.
 * - `schedules`: one row per poller (a flow's trigger that reads a source system on an interval),
 *   claimed under a lease so exactly one worker polls at a time, with the poller's cursor.
 */
import type { MigrationDefinition } from '../migration-runner.js';
import type { ColumnTypes } from './column-types.js';

export const financeFlows: MigrationDefinition = { version: 2, name: 'finance flows', statements };

function statements(t: ColumnTypes): string[] {
  return [
    `ALTER TABLE runs ADD COLUMN entity TEXT`,
    `ALTER TABLE runs ADD COLUMN amount TEXT`,
    `ALTER TABLE runs ADD COLUMN currency TEXT`,
    `ALTER TABLE runs ADD COLUMN approved_at ${t.bigint}`,
    `ALTER TABLE runs ADD COLUMN posted_at ${t.bigint}`,
    `ALTER TABLE runs ADD COLUMN paid_at ${t.bigint}`,
    `CREATE INDEX IF NOT EXISTS runs_entity ON runs (entity, flow)`,
    `ALTER TABLE exceptions ADD COLUMN process TEXT`,
    `ALTER TABLE exceptions ADD COLUMN entity TEXT`,
    `CREATE INDEX IF NOT EXISTS exceptions_process ON exceptions (process, status)`,
    `CREATE INDEX IF NOT EXISTS effects_remote ON effects (system, remote_id)`,
    `CREATE TABLE IF NOT EXISTS schedules (
      name TEXT PRIMARY KEY,
      cursor TEXT,
      next_run_at ${t.bigint} NOT NULL,
      lease_owner TEXT,
      lease_until ${t.bigint},
      last_run_at ${t.bigint},
      last_error TEXT,
      runs ${t.bigint} NOT NULL,
      updated_at ${t.bigint} NOT NULL
    )`,
  ];
}
