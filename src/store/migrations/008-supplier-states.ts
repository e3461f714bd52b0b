/**
 * Migration 8: the hub's record of each onboarded supplier — its canonical lifecycle state
 * (requested → approved → active ↔ blocked_for_payment → inactive) with the procurement and ERP ids
 * it is linked to, and why it last changed (e.g. the ERP's payment block). The links themselves are
 * in `refs` (the identity map); this row is what the lookup and the payment-block flow read.
 */
import type { MigrationDefinition } from '../migration-runner.js';
import type { ColumnTypes } from './column-types.js';

export const supplierStates: MigrationDefinition = { version: 8, name: 'supplier states', statements };

function statements(t: ColumnTypes): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS supplier_states (
      supplier_id TEXT PRIMARY KEY,
      status TEXT NOT NULL,
      procurement_system TEXT,
      procurement_id TEXT,
      erp_system TEXT,
      erp_vendor_id TEXT,
      reason TEXT,
      updated_at ${t.bigint} NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS supplier_states_erp ON supplier_states (erp_system, erp_vendor_id)`,
  ];
}
