/**
 * Migration 9: the web console's sessions. A session is opened by logging in with an API token and
 * is kept by an httpOnly cookie; the row holds only SHA-256 hashes of the session id and of its CSRF
 * token, the token it was opened with (whose roles it acts with), and when it ends: an absolute
 * expiry, an idle deadline pushed on by use, or a logout.
 */
import type { MigrationDefinition } from '../migration-runner.js';
import type { ColumnTypes } from './column-types.js';

export const consoleSessions: MigrationDefinition = { version: 9, name: 'console sessions', statements };

function statements(t: ColumnTypes): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS console_sessions (
      id_hash TEXT PRIMARY KEY,
      token_id TEXT NOT NULL,
      csrf_hash TEXT NOT NULL,
      created_at ${t.bigint} NOT NULL,
      last_seen_at ${t.bigint} NOT NULL,
      idle_until ${t.bigint} NOT NULL,
      expires_at ${t.bigint} NOT NULL,
      ended_at ${t.bigint}
    )`,
    `CREATE INDEX IF NOT EXISTS console_sessions_token ON console_sessions (token_id)`,
    `CREATE INDEX IF NOT EXISTS console_sessions_expires ON console_sessions (expires_at)`,
  ];
}
