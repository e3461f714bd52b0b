/**
 * Migration 1: the durable core's tables, written once with the column types each dialect fills in,
 * so the SQLite and PostgreSQL schemas cannot drift apart.
 */
import type { MigrationDefinition } from '../migration-runner.js';
import type { ColumnTypes } from './column-types.js';

export const durableCore: MigrationDefinition = { version: 1, name: 'durable core', statements };

function statements(t: ColumnTypes): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS inbox_events (
      id TEXT PRIMARY KEY,
      system TEXT NOT NULL,
      dedupe_key TEXT NOT NULL,
      event_type TEXT NOT NULL,
      received_at ${t.bigint} NOT NULL,
      correlation_id TEXT NOT NULL,
      content_type TEXT NOT NULL,
      payload TEXT NOT NULL,
      headers TEXT NOT NULL,
      status TEXT NOT NULL,
      dispatched_at ${t.bigint},
      note TEXT,
      CONSTRAINT inbox_events_dedupe UNIQUE (system, dedupe_key)
    )`,
    `CREATE INDEX IF NOT EXISTS inbox_events_pending ON inbox_events (status, received_at)`,
    `CREATE INDEX IF NOT EXISTS inbox_events_correlation ON inbox_events (correlation_id)`,
    `CREATE TABLE IF NOT EXISTS runs (
      id TEXT PRIMARY KEY,
      run_key TEXT NOT NULL UNIQUE,
      flow TEXT NOT NULL,
      system TEXT NOT NULL,
      document_id TEXT NOT NULL,
      version TEXT NOT NULL,
      status TEXT NOT NULL,
      correlation_id TEXT NOT NULL,
      mapping_version TEXT,
      event_id TEXT,
      input TEXT NOT NULL,
      state TEXT NOT NULL,
      current_step TEXT,
      created_at ${t.bigint} NOT NULL,
      updated_at ${t.bigint} NOT NULL,
      finished_at ${t.bigint}
    )`,
    `CREATE INDEX IF NOT EXISTS runs_flow_status ON runs (flow, status, created_at)`,
    `CREATE INDEX IF NOT EXISTS runs_correlation ON runs (correlation_id)`,
    `CREATE INDEX IF NOT EXISTS runs_document ON runs (system, document_id)`,
    `CREATE TABLE IF NOT EXISTS run_steps (
      id ${t.serialKey},
      run_id TEXT NOT NULL,
      job_id TEXT NOT NULL,
      step TEXT NOT NULL,
      attempt INTEGER NOT NULL,
      status TEXT NOT NULL,
      started_at ${t.bigint} NOT NULL,
      finished_at ${t.bigint} NOT NULL,
      duration_ms ${t.bigint} NOT NULL,
      error_class TEXT,
      error_code TEXT,
      error_message TEXT,
      payload_digest TEXT
    )`,
    `CREATE INDEX IF NOT EXISTS run_steps_run ON run_steps (run_id, id)`,
    `CREATE TABLE IF NOT EXISTS jobs (
      id TEXT PRIMARY KEY,
      run_id TEXT NOT NULL,
      step TEXT NOT NULL,
      status TEXT NOT NULL,
      attempts INTEGER NOT NULL,
      max_attempts INTEGER NOT NULL,
      run_at ${t.bigint} NOT NULL,
      lease_owner TEXT,
      lease_until ${t.bigint},
      lease_token ${t.bigint} NOT NULL,
      last_error TEXT,
      created_at ${t.bigint} NOT NULL,
      updated_at ${t.bigint} NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS jobs_due ON jobs (status, run_at)`,
    `CREATE INDEX IF NOT EXISTS jobs_run ON jobs (run_id)`,
    `CREATE TABLE IF NOT EXISTS effects (
      id TEXT PRIMARY KEY,
      system TEXT NOT NULL,
      idempotency_key TEXT NOT NULL,
      run_id TEXT NOT NULL,
      step TEXT NOT NULL,
      status TEXT NOT NULL,
      remote_id TEXT,
      attempts INTEGER NOT NULL,
      result TEXT,
      created_at ${t.bigint} NOT NULL,
      updated_at ${t.bigint} NOT NULL,
      confirmed_at ${t.bigint},
      CONSTRAINT effects_key UNIQUE (system, idempotency_key)
    )`,
    `CREATE INDEX IF NOT EXISTS effects_run ON effects (run_id)`,
    `CREATE TABLE IF NOT EXISTS exceptions (
      id TEXT PRIMARY KEY,
      run_id TEXT,
      event_id TEXT,
      job_id TEXT,
      step TEXT,
      class TEXT NOT NULL,
      owner TEXT NOT NULL,
      code TEXT NOT NULL,
      message TEXT NOT NULL,
      details TEXT NOT NULL,
      status TEXT NOT NULL,
      created_at ${t.bigint} NOT NULL,
      updated_at ${t.bigint} NOT NULL,
      resolved_at ${t.bigint},
      resolved_by TEXT,
      resolution TEXT
    )`,
    `CREATE INDEX IF NOT EXISTS exceptions_queue ON exceptions (status, class, owner, created_at)`,
    `CREATE INDEX IF NOT EXISTS exceptions_run ON exceptions (run_id)`,
    `CREATE TABLE IF NOT EXISTS audit_log (
      seq ${t.bigint} PRIMARY KEY,
      at ${t.bigint} NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      subject TEXT NOT NULL,
      correlation_id TEXT,
      data TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS audit_head (
      id INTEGER PRIMARY KEY,
      seq ${t.bigint} NOT NULL,
      hash TEXT NOT NULL
    )`,
    `INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${'0'.repeat(64)}') ON CONFLICT (id) DO NOTHING`,
    `CREATE TABLE IF NOT EXISTS refs (
      entity_type TEXT NOT NULL,
      canonical_id TEXT NOT NULL,
      system TEXT NOT NULL,
      remote_id TEXT NOT NULL,
      created_at ${t.bigint} NOT NULL,
      PRIMARY KEY (entity_type, canonical_id, system),
      CONSTRAINT refs_remote UNIQUE (entity_type, system, remote_id)
    )`,
    `CREATE TABLE IF NOT EXISTS master_data (
      kind TEXT NOT NULL,
      key TEXT NOT NULL,
      version INTEGER NOT NULL,
      data TEXT NOT NULL,
      hash TEXT NOT NULL,
      valid_from TEXT,
      valid_to TEXT,
      retired INTEGER NOT NULL,
      fetched_at ${t.bigint} NOT NULL,
      PRIMARY KEY (kind, key, version)
    )`,
    `CREATE TABLE IF NOT EXISTS mapping_sets (
      version TEXT PRIMARY KEY,
      label TEXT NOT NULL,
      content TEXT NOT NULL,
      author TEXT NOT NULL,
      approved_by TEXT,
      status TEXT NOT NULL,
      created_at ${t.bigint} NOT NULL,
      approved_at ${t.bigint}
    )`,
    `CREATE TABLE IF NOT EXISTS tokens (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      roles TEXT NOT NULL,
      expires_at ${t.bigint},
      revoked_at ${t.bigint},
      created_at ${t.bigint} NOT NULL,
      last_used_at ${t.bigint}
    )`,
    `CREATE TABLE IF NOT EXISTS secrets (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      ciphertext TEXT NOT NULL,
      wrapped_key TEXT NOT NULL,
      key_id TEXT NOT NULL,
      created_at ${t.bigint} NOT NULL,
      updated_at ${t.bigint} NOT NULL
    )`,
  ];
}
