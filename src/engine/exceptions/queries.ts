/**
 * The exception queue as a read model: filters (process, class, owner, entity, status, age, system,
 * code), stable paging oldest first by id (ids are time-ordered) with a `next` cursor, each item with
 * its run's key facts; and one exception with its run's steps, its history and payload revisions.
 */
import { openColumn, plainCodec, type PayloadCodec } from '../record-protection.js';
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Database } from '../../store/schema.js';
import { exceptionHistory, type ExceptionHistoryEntry } from './history.js';
import { payloadRevisions } from './payload-revisions.js';
import { getRunDetail } from '../read/run-queries.js';
import { isoTime } from '../../canonical/time.js';

export interface ExceptionFilter {
  readonly process?: string;
  readonly class?: string;
  readonly owner?: string;
  readonly entity?: string;
  /** One status or several, comma-separated (e.g. `open,escalated`). */
  readonly status?: string;
  readonly olderThanMinutes?: number;
  readonly system?: string;
  readonly code?: string;
  readonly runId?: string;
  readonly eventId?: string;
}

export const exceptionFilterKeys = [
  'process',
  'class',
  'owner',
  'entity',
  'status',
  'olderThanMinutes',
  'system',
  'code',
  'runId',
  'eventId',
] as const;

export interface ExceptionItem {
  readonly id: string;
  readonly status: string;
  readonly class: string;
  readonly owner: string;
  readonly code: string;
  readonly message: string;
  readonly process: string | null;
  readonly entity: string | null;
  readonly system: string | null;
  readonly step: string | null;
  readonly runId: string | null;
  readonly eventId: string | null;
  readonly flow: string | null;
  readonly documentId: string | null;
  readonly correlationId: string | null;
  readonly amount: { readonly amount: string; readonly currency: string } | null;
  readonly runStatus: string | null;
  readonly attempts: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly slaDueAt: string | null;
  readonly resolvedAt: string | null;
  readonly resolvedBy: string | null;
  readonly resolution: string | null;
}

function baseQuery(db: Kysely<Database>, filter: ExceptionFilter, now: number) {
  let query = db
    .selectFrom('exceptions as x')
    .leftJoin('runs as r', 'r.id', 'x.run_id')
    .leftJoin('jobs as j', 'j.id', 'x.job_id')
    .leftJoin('inbox_events as e', 'e.id', 'x.event_id');
  const eq = (
    column: 'x.process' | 'x.class' | 'x.owner' | 'x.entity' | 'x.system' | 'x.code' | 'x.run_id' | 'x.event_id',
    value: string | undefined,
  ) => {
    if (value !== undefined) query = query.where(column, '=', value);
  };
  eq('x.process', filter.process);
  eq('x.class', filter.class);
  eq('x.owner', filter.owner);
  eq('x.entity', filter.entity);
  eq('x.system', filter.system);
  eq('x.code', filter.code);
  eq('x.run_id', filter.runId);
  eq('x.event_id', filter.eventId);
  if (filter.status !== undefined) {
    const statuses = filter.status
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (statuses.length > 0) query = query.where('x.status', 'in', statuses);
  }
  if (filter.olderThanMinutes !== undefined)
    query = query.where('x.created_at', '<', now - filter.olderThanMinutes * 60_000);
  return query;
}

type ItemQuery =
  ReturnType<typeof baseQuery> extends SelectQueryBuilder<infer DB, infer TB, infer _O>
    ? SelectQueryBuilder<DB, TB, object>
    : never;

function selectItem(query: ItemQuery) {
  return query.select([
    'x.id',
    'x.status',
    'x.class',
    'x.owner',
    'x.code',
    'x.message',
    'x.process',
    'x.entity',
    'x.system',
    'x.step',
    'x.run_id',
    'x.event_id',
    'x.created_at',
    'x.updated_at',
    'x.sla_due_at',
    'x.resolved_at',
    'x.resolved_by',
    'x.resolution',
    'r.flow',
    'r.document_id',
    'r.correlation_id as run_correlation_id',
    'r.amount',
    'r.currency',
    'r.status as run_status',
    'r.entity as run_entity',
    'j.attempts',
    'e.correlation_id as event_correlation_id',
  ]);
}

type ItemRow = Awaited<ReturnType<ReturnType<typeof selectItem>['execute']>>[number];

function toItem(row: ItemRow): ExceptionItem {
  return {
    id: row.id,
    status: row.status,
    class: row.class,
    owner: row.owner,
    code: row.code,
    message: row.message,
    process: row.process ?? row.flow,
    entity: row.entity ?? row.run_entity,
    system: row.system,
    step: row.step,
    runId: row.run_id,
    eventId: row.event_id,
    flow: row.flow,
    documentId: row.document_id,
    correlationId: row.run_correlation_id ?? row.event_correlation_id,
    amount: row.amount === null || row.currency === null ? null : { amount: row.amount, currency: row.currency },
    runStatus: row.run_status,
    attempts: row.attempts === null ? null : Number(row.attempts),
    createdAt: isoTime(row.created_at)!,
    updatedAt: isoTime(row.updated_at)!,
    slaDueAt: isoTime(row.sla_due_at),
    resolvedAt: isoTime(row.resolved_at),
    resolvedBy: row.resolved_by,
    resolution: row.resolution,
  };
}

export async function listExceptions(
  db: Kysely<Database>,
  filter: ExceptionFilter,
  page: { readonly cursor?: string; readonly limit?: number },
  now: number,
): Promise<{ exceptions: ExceptionItem[]; next: string | null }> {
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 500);
  let query = baseQuery(db, filter, now);
  if (page.cursor !== undefined) query = query.where('x.id', '>', page.cursor);
  const rows = await selectItem(query as unknown as ItemQuery)
    .orderBy('x.id')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map(toItem);
  return { exceptions: items, next: rows.length > limit ? items[items.length - 1]!.id : null };
}

/** The ids matching a filter, oldest first, up to `cap`, with the total count. */
export async function matchingExceptionIds(
  db: Kysely<Database>,
  filter: ExceptionFilter,
  cap: number,
  now: number,
): Promise<{ total: number; ids: string[] }> {
  const count = await baseQuery(db, filter, now)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await baseQuery(db, filter, now).select('x.id').orderBy('x.id').limit(cap).execute();
  return { total: Number(count.n), ids: rows.map((r) => r.id) };
}

export async function getExceptionItem(db: Kysely<Database>, id: string): Promise<ExceptionItem | undefined> {
  const row = await selectItem(baseQuery(db, {}, 0).where('x.id', '=', id) as unknown as ItemQuery).executeTakeFirst();
  return row === undefined ? undefined : toItem(row);
}

export interface ExceptionDetail extends ExceptionItem {
  readonly details: unknown;
  readonly history: readonly ExceptionHistoryEntry[];
  readonly run: NonNullable<Awaited<ReturnType<typeof getRunDetail>>> | null;
  readonly event: {
    readonly id: string;
    readonly system: string;
    readonly eventType: string;
    readonly status: string;
    readonly receivedAt: string;
  } | null;
  readonly revisions: readonly {
    revision: number;
    author: string;
    reason: string;
    digest: string;
    bytes: number;
    at: string;
  }[];
}

export async function getExceptionDetail(
  db: Kysely<Database>,
  id: string,
  codec: PayloadCodec = plainCodec,
): Promise<ExceptionDetail | undefined> {
  const item = await getExceptionItem(db, id);
  if (item === undefined) return undefined;
  const raw = await db.selectFrom('exceptions').select('details').where('id', '=', id).executeTakeFirstOrThrow();
  const history = (await exceptionHistory(db, [id])).map(({ exceptionId: _id, ...entry }) => entry);
  const run = item.runId === null ? null : ((await getRunDetail(db, item.runId, codec)) ?? null);
  const eventRow =
    item.eventId === null
      ? undefined
      : await db
          .selectFrom('inbox_events')
          .select(['id', 'system', 'event_type', 'status', 'received_at'])
          .where('id', '=', item.eventId)
          .executeTakeFirst();
  const revisions = (await payloadRevisions(db, { runId: item.runId, eventId: item.eventId })).map(
    ({ payload: _p, ...r }) => r,
  );
  return {
    ...item,
    details: JSON.parse(openColumn(codec, 'exceptions', 'details', id, raw.details)) as unknown,
    history,
    run,
    event:
      eventRow === undefined
        ? null
        : {
            id: eventRow.id,
            system: eventRow.system,
            eventType: eventRow.event_type,
            status: eventRow.status,
            receivedAt: isoTime(eventRow.received_at)!,
          },
    revisions,
  };
}
