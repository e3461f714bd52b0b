/**
 * Migration 11: on-premises agents.
 * - `agents`: one row per agent that ever connected: its version, the session of the agent process
 *   now connected, when it was last seen (every long poll and every few seconds while one is held)
 *   and whether its connection was seen to close, the latency of its recent calls (a moving average)
 *   and when an alert about its absence was queued.
 * - `agent_calls`: the connectors' HTTP exchanges handed to an agent. A worker on any node queues one
 *   (`queued`); the API process that holds the agent's long poll hands it over (`delivered`, with the
 *   agent session); the agent's answer is written back (`answered`) for the waiting worker, which
 *   deletes the row. A call whose agent session ended is `lost` (unknown outcome); one given up
 *   before delivery is `cancelled`. Requests and answers are kept only until the caller has read them.
 */
import type { MigrationDefinition } from '../migration-runner.js';
import type { ColumnTypes } from './column-types.js';

export const agents: MigrationDefinition = { version: 11, name: 'agents', statements };

function statements(t: ColumnTypes): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS agents (
      name TEXT PRIMARY KEY,
      version TEXT NOT NULL,
      session TEXT NOT NULL,
      connected_at ${t.bigint} NOT NULL,
      last_seen_at ${t.bigint} NOT NULL,
      closed_at ${t.bigint},
      calls_answered ${t.bigint} NOT NULL DEFAULT 0,
      calls_lost ${t.bigint} NOT NULL DEFAULT 0,
      latency_ms ${t.bigint},
      gone_alerted_at ${t.bigint}
    )`,
    `CREATE TABLE IF NOT EXISTS agent_calls (
      id TEXT PRIMARY KEY,
      agent TEXT NOT NULL,
      system TEXT NOT NULL,
      status TEXT NOT NULL,
      session TEXT,
      request TEXT NOT NULL,
      response TEXT,
      created_at ${t.bigint} NOT NULL,
      deadline_at ${t.bigint} NOT NULL,
      delivered_at ${t.bigint},
      answered_at ${t.bigint}
    )`,
    `CREATE INDEX IF NOT EXISTS agent_calls_by_agent ON agent_calls (agent, status, created_at)`,
  ];
}
