/**
 * The tables of the durable core (DESIGN.md section 5) as Kysely sees them. Both dialects create the
 * same shapes; times are milliseconds since the epoch, JSON is stored as text, money as decimal text.
 */
import type { Generated } from 'kysely';

export type InboxStatus = 'received' | 'dispatched' | 'quarantined';

export interface InboxEventsTable {
  id: string;
  system: string;
  dedupe_key: string;
  event_type: string;
  received_at: number;
  correlation_id: string;
  content_type: string;
  payload: string;
  headers: string;
  status: InboxStatus;
  dispatched_at: number | null;
  note: string | null;
  /** The W3C traceparent of the span that received the event (migration 10); null when untraced. */
  trace_context: string | null;
}

export interface RunsTable {
  id: string;
  run_key: string;
  flow: string;
  system: string;
  document_id: string;
  version: string;
  status: string;
  correlation_id: string;
  mapping_version: string | null;
  event_id: string | null;
  input: string;
  state: string;
  current_step: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  /** The W3C traceparent of the span that created the run; its steps' spans are its children (migration 10). */
  trace_context: string | null;
  /** Legal entity (company code) of the document, once a step knows it. */
  entity: string | null;
  /** Document total (decimal text) and its currency. */
  amount: string | null;
  currency: string | null;
  /** When the source system approved the document, when the ERP posting was confirmed, when it was paid. */
  approved_at: number | null;
  posted_at: number | null;
  paid_at: number | null;
}

export interface RunStepsTable {
  id: Generated<number>;
  run_id: string;
  job_id: string;
  step: string;
  attempt: number;
  status: string;
  started_at: number;
  finished_at: number;
  duration_ms: number;
  error_class: string | null;
  error_code: string | null;
  error_message: string | null;
  payload_digest: string | null;
}

export interface JobsTable {
  id: string;
  run_id: string;
  step: string;
  status: string;
  attempts: number;
  max_attempts: number;
  run_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  lease_token: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  /** The paused connector this job is parked for; null when it is not parked. */
  waiting_on: string | null;
}

export interface EffectsTable {
  id: string;
  system: string;
  idempotency_key: string;
  run_id: string;
  step: string;
  status: string;
  remote_id: string | null;
  attempts: number;
  result: string | null;
  created_at: number;
  updated_at: number;
  confirmed_at: number | null;
}

export interface ExceptionsTable {
  id: string;
  run_id: string | null;
  event_id: string | null;
  job_id: string | null;
  step: string | null;
  class: string;
  owner: string;
  code: string;
  message: string;
  details: string;
  status: string;
  created_at: number;
  updated_at: number;
  resolved_at: number | null;
  resolved_by: string | null;
  resolution: string | null;
  /** The business process (flow) and legal entity, for the queue's filters. */
  process: string | null;
  entity: string | null;
  /** Migration 4: when the new-exception alert was queued, and when the SLA-breach alert was. */
  alerted_at: number | null;
  sla_alerted_at: number | null;
  /** The system the failure names (or the source system), and when the exception's SLA runs out. */
  system: string | null;
  sla_due_at: number | null;
}

export interface SchedulesTable {
  name: string;
  cursor: string | null;
  next_run_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_run_at: number | null;
  last_error: string | null;
  runs: number;
  updated_at: number;
}

export interface ExceptionActionsTable {
  id: Generated<number>;
  exception_id: string;
  action: string;
  actor: string;
  reason: string | null;
  data: string;
  at: number;
}

export interface PayloadRevisionsTable {
  id: Generated<number>;
  run_id: string | null;
  event_id: string | null;
  revision: number;
  payload: string;
  digest: string;
  bytes: number;
  author: string;
  reason: string;
  created_at: number;
}

export interface ConnectorStatesTable {
  system: string;
  status: string;
  since: number;
  reason: string | null;
  exception_id: string | null;
  changed_by: string;
  updated_at: number;
}

export interface IdempotencyKeysTable {
  scope: string;
  idempotency_key: string;
  request_hash: string;
  status: string;
  response_status: number | null;
  response_body: string | null;
  created_at: number;
  expires_at: number;
}

export interface AuditLogTable {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject: string;
  correlation_id: string | null;
  data: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface RefsTable {
  entity_type: string;
  canonical_id: string;
  system: string;
  remote_id: string;
  created_at: number;
}

export interface MasterDataTable {
  kind: string;
  key: string;
  version: number;
  data: string;
  hash: string;
  valid_from: string | null;
  valid_to: string | null;
  retired: number;
  fetched_at: number;
}

export interface MappingSetsTable {
  version: string;
  label: string;
  content: string;
  author: string;
  approved_by: string | null;
  status: string;
  created_at: number;
  approved_at: number | null;
  /** Migration 6: publication. SHA-256 of the canonical content (unique). */
  content_hash: string | null;
  rejected_by: string | null;
  rejected_at: number | null;
  rejection_reason: string | null;
  superseded_at: number | null;
}

export interface TokensTable {
  id: string;
  name: string;
  token_hash: string;
  roles: string;
  expires_at: number | null;
  revoked_at: number | null;
  created_at: number;
  last_used_at: number | null;
}

export interface ConsoleSessionsTable {
  id_hash: string;
  token_id: string;
  csrf_hash: string;
  created_at: number;
  last_seen_at: number;
  idle_until: number;
  expires_at: number;
  ended_at: number | null;
}

export interface SecretsTable {
  id: string;
  name: string;
  ciphertext: string;
  wrapped_key: string;
  key_id: string;
  created_at: number;
  updated_at: number;
}

export interface SupplierStatesTable {
  supplier_id: string;
  status: string;
  procurement_system: string | null;
  procurement_id: string | null;
  erp_system: string | null;
  erp_vendor_id: string | null;
  reason: string | null;
  updated_at: number;
}

/** Migration 4: a stored reconciliation; `counts` and `result` are JSON. */
export interface ReconciliationsTable {
  id: string;
  created_at: number;
  created_by: string;
  period_from: string;
  period_to: string;
  entity: string | null;
  processes: string;
  counts: string;
  result: string;
}

/** Migration 4: one outbound alert webhook for one exception and route. */
export interface AlertDeliveriesTable {
  id: string;
  exception_id: string;
  /** `new_exception` or `sla_breach`. */
  kind: string;
  /** The route's key (owner and URL), so one exception alerts each route once. */
  route: string;
  owner: string;
  payload: string;
  /** `pending`, `delivered` or `failed` (given up). */
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
}

export interface AlertCursorsTable {
  name: string;
  created_at: number;
  exception_id: string;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: number;
}

/** Migration 7: an operator's or the ERP's decision on one posting period of one entity. */
export interface PeriodOverridesTable {
  entity: string;
  /** YYYY-MM */
  period: string;
  status: string;
  reason: string;
  /** `operator` or `erp` (learned from a rejection). */
  source: string;
  actor: string;
  updated_at: number;
}

/** Migration 11: an agent as last seen by the hub. */
export interface AgentsTable {
  name: string;
  version: string;
  /** The connected agent process's session id (new at every start of the agent). */
  session: string;
  connected_at: number;
  last_seen_at: number;
  /** When the agent's long poll was seen to close without an answer; null while connected. */
  closed_at: number | null;
  calls_answered: number;
  calls_lost: number;
  /** Moving average of the round trip of its calls, ms. */
  latency_ms: number | null;
  gone_alerted_at: number | null;
}

/** Migration 11: one HTTP exchange handed to an agent. */
export interface AgentCallsTable {
  id: string;
  agent: string;
  system: string;
  /** `queued`, `delivered`, `answered`, `lost` or `cancelled`. */
  status: string;
  session: string | null;
  request: string;
  response: string | null;
  created_at: number;
  deadline_at: number;
  delivered_at: number | null;
  answered_at: number | null;
}

/** Runs by UTC day created, process, legal entity ('' when unknown) and status; kept by triggers (migration 12). */
export interface RunDayRollupsTable {
  day: number;
  flow: string;
  entity: string;
  status: string;
  n: number;
}

/** Runs by UTC hour posted, process and legal entity; kept by triggers (migration 12). */
export interface PostedHourRollupsTable {
  hour: number;
  flow: string;
  entity: string;
  n: number;
}

/** A latency histogram per measure, UTC day of the measure's end, entity and bucket (migration 12). */
export interface LatencyRollupsTable {
  measure: string;
  day: number;
  entity: string;
  bucket: number;
  n: number;
  min_ms: number;
  max_ms: number;
}

export interface Database {
  inbox_events: InboxEventsTable;
  runs: RunsTable;
  run_steps: RunStepsTable;
  jobs: JobsTable;
  effects: EffectsTable;
  exceptions: ExceptionsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  refs: RefsTable;
  master_data: MasterDataTable;
  mapping_sets: MappingSetsTable;
  tokens: TokensTable;
  secrets: SecretsTable;
  schema_migrations: SchemaMigrationsTable;
  schedules: SchedulesTable;
  supplier_states: SupplierStatesTable;
  reconciliations: ReconciliationsTable;
  alert_deliveries: AlertDeliveriesTable;
  alert_cursors: AlertCursorsTable;
  exception_actions: ExceptionActionsTable;
  payload_revisions: PayloadRevisionsTable;
  connector_states: ConnectorStatesTable;
  idempotency_keys: IdempotencyKeysTable;
  period_overrides: PeriodOverridesTable;
  console_sessions: ConsoleSessionsTable;
  agents: AgentsTable;
  agent_calls: AgentCallsTable;
  run_day_rollups: RunDayRollupsTable;
  posted_hour_rollups: PostedHourRollupsTable;
  latency_rollups: LatencyRollupsTable;
}
