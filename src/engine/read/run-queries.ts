/** Read models over the durable core: runs with their history, and the trace of one correlation ID. */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { openColumn, plainCodec, type PayloadCodec } from '../record-protection.js';
import { isoTime } from '../../canonical/time.js';

export interface RunFilter {
  readonly flow?: string;
  readonly status?: string;
  readonly system?: string;
  readonly documentId?: string;
  readonly correlationId?: string;
  /** Runs created before this run ID (pages go newest first). */
  readonly before?: string;
  readonly limit?: number;
}

export interface RunSummary {
  readonly id: string;
  readonly runKey: string;
  readonly flow: string;
  readonly system: string;
  readonly documentId: string;
  readonly version: string;
  readonly status: string;
  readonly correlationId: string;
  readonly currentStep: string | null;
  readonly mappingVersion: string | null;
  readonly eventId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
}

type RunRow = Database['runs'];

export function toRunSummary(row: RunRow): RunSummary {
  return {
    id: row.id,
    runKey: row.run_key,
    flow: row.flow,
    system: row.system,
    documentId: row.document_id,
    version: row.version,
    status: row.status,
    correlationId: row.correlation_id,
    currentStep: row.current_step,
    mappingVersion: row.mapping_version,
    eventId: row.event_id,
    createdAt: isoTime(row.created_at)!,
    updatedAt: isoTime(row.updated_at)!,
    finishedAt: isoTime(row.finished_at),
  };
}

export async function listRuns(
  db: Kysely<Database>,
  filter: RunFilter,
): Promise<{ runs: RunSummary[]; next: string | null }> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  let query = db.selectFrom('runs').selectAll();
  if (filter.flow !== undefined) query = query.where('flow', '=', filter.flow);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.system !== undefined) query = query.where('system', '=', filter.system);
  if (filter.documentId !== undefined) query = query.where('document_id', '=', filter.documentId);
  if (filter.correlationId !== undefined) query = query.where('correlation_id', '=', filter.correlationId);
  if (filter.before !== undefined) query = query.where('id', '<', filter.before);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  return { runs: page.map(toRunSummary), next: rows.length > limit ? page[page.length - 1]!.id : null };
}

/** The states of several runs, opened with the codec, 500 runs a query; runs that do not exist are left out. */
export async function readRunStates(
  db: Kysely<Database>,
  runIds: readonly string[],
  codec: PayloadCodec = plainCodec,
): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < runIds.length; i += 500) {
    const rows = await db
      .selectFrom('runs')
      .select(['id', 'state'])
      .where('id', 'in', runIds.slice(i, i + 500))
      .execute();
    for (const row of rows)
      out.set(row.id, JSON.parse(openColumn(codec, 'runs', 'state', row.id, row.state)) as Record<string, unknown>);
  }
  return out;
}

export async function getRunDetail(db: Kysely<Database>, runId: string, codec: PayloadCodec = plainCodec) {
  const run = await db.selectFrom('runs').selectAll().where('id', '=', runId).executeTakeFirst();
  if (run === undefined) return undefined;
  const [steps, effects, jobs, exceptions, refs] = await Promise.all([
    db.selectFrom('run_steps').selectAll().where('run_id', '=', runId).orderBy('id').execute(),
    db.selectFrom('effects').selectAll().where('run_id', '=', runId).orderBy('created_at').execute(),
    db.selectFrom('jobs').selectAll().where('run_id', '=', runId).orderBy('created_at').execute(),
    db.selectFrom('exceptions').selectAll().where('run_id', '=', runId).orderBy('created_at').execute(),
    db.selectFrom('refs').selectAll().where('canonical_id', '=', run.document_id).execute(),
  ]);
  return {
    ...toRunSummary(run),
    input: openColumn(codec, 'runs', 'input', run.id, run.input),
    state: JSON.parse(openColumn(codec, 'runs', 'state', run.id, run.state)) as unknown,
    steps: steps.map((s) => ({
      step: s.step,
      attempt: Number(s.attempt),
      status: s.status,
      startedAt: isoTime(s.started_at),
      finishedAt: isoTime(s.finished_at),
      durationMs: Number(s.duration_ms),
      errorClass: s.error_class,
      errorCode: s.error_code,
      errorMessage: s.error_message,
      payloadDigest: s.payload_digest,
    })),
    effects: effects.map((e) => ({
      system: e.system,
      idempotencyKey: e.idempotency_key,
      step: e.step,
      status: e.status,
      remoteId: e.remote_id,
      attempts: Number(e.attempts),
      result: e.result,
      createdAt: isoTime(e.created_at),
      confirmedAt: isoTime(e.confirmed_at),
    })),
    jobs: jobs.map((j) => ({
      id: j.id,
      step: j.step,
      status: j.status,
      attempts: Number(j.attempts),
      maxAttempts: Number(j.max_attempts),
      runAt: isoTime(j.run_at),
      lastError: j.last_error,
    })),
    exceptions: exceptions.map((x) => ({
      id: x.id,
      class: x.class,
      owner: x.owner,
      code: x.code,
      message: x.message,
      status: x.status,
      createdAt: isoTime(x.created_at),
    })),
    refs: Object.fromEntries(refs.map((r) => [r.system, r.remote_id])),
  };
}

export interface TraceEntry {
  readonly at: string;
  readonly kind: 'event' | 'run' | 'step' | 'effect' | 'exception';
  readonly id: string;
  readonly summary: string;
  readonly data: Record<string, unknown>;
}

/** Everything one correlation ID touched, in time order. */
export async function traceCorrelation(db: Kysely<Database>, correlationId: string): Promise<TraceEntry[]> {
  const events = await db
    .selectFrom('inbox_events')
    .select(['id', 'system', 'event_type', 'received_at', 'status', 'dedupe_key', 'note'])
    .where('correlation_id', '=', correlationId)
    .execute();
  const runs = await db.selectFrom('runs').selectAll().where('correlation_id', '=', correlationId).execute();
  const runIds = runs.map((r) => r.id);
  const [steps, effects, exceptions] =
    runIds.length === 0
      ? [[], [], []]
      : await Promise.all([
          db.selectFrom('run_steps').selectAll().where('run_id', 'in', runIds).execute(),
          db.selectFrom('effects').selectAll().where('run_id', 'in', runIds).execute(),
          db.selectFrom('exceptions').selectAll().where('run_id', 'in', runIds).execute(),
        ]);
  const entries: (TraceEntry & { sort: number })[] = [
    ...events.map((e) => ({
      sort: Number(e.received_at),
      at: isoTime(e.received_at)!,
      kind: 'event' as const,
      id: e.id,
      summary: `${e.system} ${e.event_type} ${e.status}`,
      data: {
        system: e.system,
        eventType: e.event_type,
        status: e.status,
        dedupeKey: e.dedupe_key,
        note: e.note === null ? null : (JSON.parse(e.note) as unknown),
      },
    })),
    ...runs.map((r) => ({
      sort: Number(r.created_at),
      at: isoTime(r.created_at)!,
      kind: 'run' as const,
      id: r.id,
      summary: `${r.flow} ${r.document_id} v${r.version} ${r.status}`,
      data: { runKey: r.run_key, status: r.status, mappingVersion: r.mapping_version },
    })),
    ...steps.map((s) => ({
      sort: Number(s.finished_at),
      at: isoTime(s.finished_at)!,
      kind: 'step' as const,
      id: `${s.run_id}/${s.step}/${s.attempt}`,
      summary: `${s.step} attempt ${s.attempt} ${s.status}${s.error_code === null ? '' : ` (${s.error_code})`}`,
      data: {
        runId: s.run_id,
        durationMs: Number(s.duration_ms),
        errorClass: s.error_class,
        errorMessage: s.error_message,
      },
    })),
    ...effects.map((e) => ({
      sort: Number(e.confirmed_at ?? e.created_at),
      at: isoTime(e.confirmed_at ?? e.created_at)!,
      kind: 'effect' as const,
      id: e.id,
      summary: `${e.system} ${e.status}${e.remote_id === null ? '' : ` → ${e.remote_id}`}`,
      data: { runId: e.run_id, idempotencyKey: e.idempotency_key, remoteId: e.remote_id, status: e.status },
    })),
    ...exceptions.map((x) => ({
      sort: Number(x.created_at),
      at: isoTime(x.created_at)!,
      kind: 'exception' as const,
      id: x.id,
      summary: `${x.class} ${x.code} owned by ${x.owner}`,
      data: { runId: x.run_id, message: x.message, status: x.status },
    })),
  ];
  // Within one millisecond, causal order: the event, its run, the write, the step that made it.
  const rank: Record<TraceEntry['kind'], number> = { event: 0, run: 1, effect: 2, step: 3, exception: 4 };
  return entries
    .sort((a, b) => a.sort - b.sort || rank[a.kind] - rank[b.kind])
    .map(({ sort: _sort, ...entry }) => entry);
}
