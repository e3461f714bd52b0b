/**
 * Migration 7: the period calendar's overrides. The calendar itself is configuration (`periods:`);
 * an override opens or closes one posting period of one legal entity at runtime: an operator who
 * reopens a period after the ERP reopened it, or a closure the hub learned from an ERP rejection.
 * One row per entity and period (the latest decision); every change is also in the audit log.
 */
import type { MigrationDefinition } from '../migration-runner.js';
import type { ColumnTypes } from './column-types.js';

export const periodCalendarOverrides: MigrationDefinition = {
  version: 7,
  name: 'period calendar overrides',
  statements,
};

function statements(t: ColumnTypes): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS period_overrides (
      entity TEXT NOT NULL,
      period TEXT NOT NULL,
      status TEXT NOT NULL,
      reason TEXT NOT NULL,
      source TEXT NOT NULL,
      actor TEXT NOT NULL,
      updated_at ${t.bigint} NOT NULL,
      PRIMARY KEY (entity, period)
    )`,
  ];
}
