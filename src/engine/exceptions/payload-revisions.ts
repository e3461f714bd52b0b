/**
 * Edited payloads. When an operator replays with an edited payload, the run's input (or a quarantined
 * event's payload) is replaced; the original is kept as revision 0 and every edit as the next
 * revision, with author, time, reason, digest and size. Nothing is overwritten without a trace.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Tx } from '../../store/port.js';
import type { Database } from '../../store/schema.js';

export function payloadDigest(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

export interface PayloadSubject {
  readonly runId: string | null;
  readonly eventId: string | null;
}

export interface RevisionRecorded {
  readonly revision: number;
  readonly beforeDigest: string;
  readonly afterDigest: string;
}

export async function recordPayloadRevision(
  tx: Tx,
  subject: PayloadSubject,
  before: string,
  after: string,
  author: string,
  reason: string,
  now: number,
): Promise<RevisionRecorded> {
  let query = tx.selectFrom('payload_revisions').select('revision');
  query =
    subject.runId !== null
      ? query.where('run_id', '=', subject.runId)
      : query.where('event_id', '=', subject.eventId).where('run_id', 'is', null);
  const last = await query.orderBy('revision', 'desc').limit(1).executeTakeFirst();
  const row = (revision: number, payload: string, by: string, why: string) => ({
    run_id: subject.runId,
    event_id: subject.eventId,
    revision,
    payload,
    digest: payloadDigest(payload),
    bytes: Buffer.byteLength(payload),
    author: by,
    reason: why,
    created_at: now,
  });
  let next = 1;
  if (last === undefined) {
    await tx
      .insertInto('payload_revisions')
      .values(row(0, before, 'source', 'original as received'))
      .execute();
  } else {
    next = Number(last.revision) + 1;
  }
  await tx
    .insertInto('payload_revisions')
    .values(row(next, after, author, reason))
    .execute();
  return { revision: next, beforeDigest: payloadDigest(before), afterDigest: payloadDigest(after) };
}

export interface PayloadRevision {
  readonly revision: number;
  readonly author: string;
  readonly reason: string;
  readonly digest: string;
  readonly bytes: number;
  readonly at: string;
  readonly payload: string;
}

export async function payloadRevisions(db: Kysely<Database>, subject: PayloadSubject): Promise<PayloadRevision[]> {
  let query = db.selectFrom('payload_revisions').selectAll();
  query =
    subject.runId !== null
      ? query.where('run_id', '=', subject.runId)
      : query.where('event_id', '=', subject.eventId).where('run_id', 'is', null);
  const rows = await query.orderBy('revision').execute();
  return rows.map((r) => ({
    revision: Number(r.revision),
    author: r.author,
    reason: r.reason,
    digest: r.digest,
    bytes: Number(r.bytes),
    at: new Date(Number(r.created_at)).toISOString(),
    payload: r.payload,
  }));
}
