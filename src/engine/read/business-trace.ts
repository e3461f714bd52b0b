/**
 * The business trace of one document (DESIGN.md section 11): the source document, every inbox event,
 * run, step attempt, effect, exception and operator action, the audit rows, the ERP documents the
 * effects produced, payment status and the mapping versions used — as one timeline in time order and
 * as grouped sections. A document reference (system + document id, or an effect's idempotency key)
 * finds the correlation ID.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { exceptionHistory } from '../exceptions/history.js';
import { traceCorrelation, type TraceEntry } from './run-queries.js';
import { EVIDENCE_STEP, PAYEE_ONBOARDING_STEP } from '../step-api.js';
import { isoTime } from '../../canonical/time.js';

export interface DocumentReference {
  readonly system?: string;
  readonly documentId?: string;
  readonly idempotencyKey?: string;
}

export interface TimelineEntry {
  readonly at: string;
  readonly kind: TraceEntry['kind'] | 'action' | 'audit';
  readonly id: string;
  readonly summary: string;
  readonly data: Record<string, unknown>;
}

/** The correlation ID of a document found by its source reference or an effect's idempotency key. */
export async function findCorrelationId(db: Kysely<Database>, ref: DocumentReference): Promise<string | undefined> {
  if (ref.idempotencyKey !== undefined) {
    const effect = await db
      .selectFrom('effects')
      .innerJoin('runs', 'runs.id', 'effects.run_id')
      .select('runs.correlation_id')
      .where('effects.idempotency_key', '=', ref.idempotencyKey)
      .executeTakeFirst();
    if (effect !== undefined) return effect.correlation_id;
  }
  if (ref.documentId !== undefined) {
    let query = db.selectFrom('runs').select('correlation_id').where('document_id', '=', ref.documentId);
    if (ref.system !== undefined) query = query.where('system', '=', ref.system);
    const run = await query.orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    if (run !== undefined) return run.correlation_id;
    // A remote document: an effect's remote id (the ERP document number).
    let byRemote = db
      .selectFrom('effects')
      .innerJoin('runs', 'runs.id', 'effects.run_id')
      .select('runs.correlation_id')
      .where('effects.remote_id', '=', ref.documentId);
    if (ref.system !== undefined) byRemote = byRemote.where('effects.system', '=', ref.system);
    const remote = await byRemote.limit(1).executeTakeFirst();
    if (remote !== undefined) return remote.correlation_id;
  }
  return undefined;
}

export async function businessTrace(db: Kysely<Database>, correlationId: string) {
  const base = await traceCorrelation(db, correlationId);
  if (base.length === 0) return undefined;
  const runs = await db
    .selectFrom('runs')
    .selectAll()
    .where('correlation_id', '=', correlationId)
    .orderBy('created_at')
    .execute();
  const runIds = runs.map((r) => r.id);
  const events = await db
    .selectFrom('inbox_events')
    .select(['id', 'system', 'event_type', 'status', 'received_at', 'dedupe_key'])
    .where('correlation_id', '=', correlationId)
    .orderBy('received_at')
    .execute();
  const eventIds = events.map((e) => e.id);
  const exceptions = await db
    .selectFrom('exceptions')
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(runIds.length === 0 ? [] : [eb('run_id', 'in', runIds)]),
        ...(eventIds.length === 0 ? [] : [eb('event_id', 'in', eventIds)]),
      ]),
    )
    .orderBy('created_at')
    .execute();
  const effects =
    runIds.length === 0
      ? []
      : await db.selectFrom('effects').selectAll().where('run_id', 'in', runIds).orderBy('created_at').execute();
  const actions = await exceptionHistory(
    db,
    exceptions.map((x) => x.id),
  );
  const audit = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('correlation_id', '=', correlationId)
    .orderBy('seq')
    .execute();
  const extra: (TimelineEntry & { sort: number })[] = [
    ...actions.map((a) => ({
      sort: Date.parse(a.at),
      at: a.at,
      kind: 'action' as const,
      id: a.exceptionId,
      summary: `${a.action} by ${a.actor}${a.reason === null ? '' : `: ${a.reason}`}`,
      data: { action: a.action, actor: a.actor, reason: a.reason },
    })),
    ...audit.map((r) => ({
      sort: Number(r.at),
      at: isoTime(r.at)!,
      kind: 'audit' as const,
      id: String(r.seq),
      summary: `${r.action} ${r.subject} by ${r.actor}`,
      data: { action: r.action, actor: r.actor, subject: r.subject },
    })),
  ];
  const rank: Record<TimelineEntry['kind'], number> = {
    event: 0,
    run: 1,
    effect: 2,
    step: 3,
    exception: 4,
    action: 5,
    audit: 6,
  };
  const timeline = [...base.map((e) => ({ ...e, sort: Date.parse(e.at) })), ...extra]
    .sort((a, b) => a.sort - b.sort || rank[a.kind] - rank[b.kind])
    .map(({ sort: _sort, ...entry }): TimelineEntry => entry);
  const first = runs[0];
  const firstEvent = events[0];
  return {
    correlationId,
    source:
      first !== undefined
        ? { system: first.system, documentId: first.document_id, version: first.version, eventId: first.event_id }
        : firstEvent !== undefined
          ? { system: firstEvent.system, documentId: null, version: null, eventId: firstEvent.id }
          : null,
    entries: timeline,
    events: events.map((e) => ({
      id: e.id,
      system: e.system,
      eventType: e.event_type,
      status: e.status,
      dedupeKey: e.dedupe_key,
      receivedAt: isoTime(e.received_at),
    })),
    runs: runs.map((r) => ({
      id: r.id,
      runKey: r.run_key,
      flow: r.flow,
      status: r.status,
      mappingVersion: r.mapping_version,
      entity: r.entity,
      amount: r.amount === null ? null : { amount: r.amount, currency: r.currency },
      createdAt: isoTime(r.created_at),
      postedAt: isoTime(r.posted_at),
      paidAt: isoTime(r.paid_at),
    })),
    effects: effects.map((e) => ({
      id: e.id,
      runId: e.run_id,
      system: e.system,
      step: e.step,
      idempotencyKey: e.idempotency_key,
      remoteId: e.remote_id,
      status: e.status,
      attempts: Number(e.attempts),
      confirmedAt: isoTime(e.confirmed_at),
    })),
    exceptions: exceptions.map((x) => ({
      id: x.id,
      runId: x.run_id,
      eventId: x.event_id,
      class: x.class,
      code: x.code,
      owner: x.owner,
      status: x.status,
      createdAt: isoTime(x.created_at),
      resolution: x.resolution,
    })),
    actions: actions.map((a) => ({ ...a })),
    audit: audit.map((r) => ({
      seq: Number(r.seq),
      at: isoTime(r.at),
      actor: r.actor,
      action: r.action,
      subject: r.subject,
    })),
    erpDocuments: effects
      .filter((e) => e.remote_id !== null && e.step !== EVIDENCE_STEP && e.step !== PAYEE_ONBOARDING_STEP)
      .map((e) => ({
        system: e.system,
        remoteId: e.remote_id,
        idempotencyKey: e.idempotency_key,
        runId: e.run_id,
        confirmedAt: isoTime(e.confirmed_at),
      })),
    payments: runs.map((r) => ({
      runId: r.id,
      documentId: r.document_id,
      status: r.paid_at === null ? 'unpaid' : 'paid',
      paidAt: isoTime(r.paid_at),
    })),
    mappingVersions: [...new Set(runs.map((r) => r.mapping_version).filter((v): v is string => v !== null))],
  };
}

export type BusinessTrace = NonNullable<Awaited<ReturnType<typeof businessTrace>>>;
