/**
 * Migration 6: what publishing mapping sets needs beyond the core `mapping_sets` table: the full
 * content hash (one row per content), who rejected a set and why, when a set was superseded, and an
 * index that allows at most one published set at a time.
 */
import type { MigrationDefinition } from '../migration-runner.js';
import type { ColumnTypes } from './column-types.js';

export const mappingSetPublication: MigrationDefinition = { version: 6, name: 'mapping set publication', statements };

function statements(t: ColumnTypes): string[] {
  return [
    'ALTER TABLE mapping_sets ADD COLUMN content_hash TEXT',
    'ALTER TABLE mapping_sets ADD COLUMN rejected_by TEXT',
    `ALTER TABLE mapping_sets ADD COLUMN rejected_at ${t.bigint}`,
    'ALTER TABLE mapping_sets ADD COLUMN rejection_reason TEXT',
    `ALTER TABLE mapping_sets ADD COLUMN superseded_at ${t.bigint}`,
    'CREATE UNIQUE INDEX IF NOT EXISTS mapping_sets_content_hash ON mapping_sets (content_hash)',
    "CREATE UNIQUE INDEX IF NOT EXISTS mapping_sets_one_published ON mapping_sets (status) WHERE status = 'published'",
    'CREATE INDEX IF NOT EXISTS mapping_sets_status ON mapping_sets (status, created_at)',
  ];
}
