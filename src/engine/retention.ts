/**
 * Payload retention (`retention.payloadDays`). Payloads of inbox events and run inputs older than the
 * limit, whose runs are final (succeeded, resolved, ignored) — or, for a quarantined event, whose
 * exceptions are closed — are replaced by a marker that keeps the digest and size. Runs, steps,
 * effects, exceptions, audit rows and the inbox rows themselves (their dedupe keys, so late duplicates
 * are still recognised) are kept for good. Expired API idempotency keys are deleted on the same pass.
 */
import { sql } from 'kysely';
import type { Store, Tx } from '../store/port.js';
import { appendAudit } from './audit-log.js';
import { payloadDigest } from './exceptions/payload-revisions.js';

const FINAL_RUN_STATUSES = ['succeeded', 'resolved', 'ignored'];
const OPEN_EXCEPTION_STATUSES = ['open', 'escalated', 'retrying'];
const PRUNED_PREFIX = '{"$pruned":';
const BATCH = 500;

export interface RetentionPolicy {
  readonly payloadDays?: number;
}

export interface PruneResult {
  readonly cutoff: string;
  readonly dryRun: boolean;
  readonly events: number;
  readonly runs: number;
  readonly revisions: number;
  readonly idempotencyKeys: number;
}

/** The marker left in place of a pruned payload: still valid JSON, with what identifies the original. */
export function prunedMarker(payload: string, at: number): string {
  return JSON.stringify({
    $pruned: { digest: payloadDigest(payload), bytes: Buffer.byteLength(payload), at: new Date(at).toISOString() },
  });
}

export function isPrunedPayload(text: string): boolean {
  return text.startsWith(PRUNED_PREFIX);
}

function notPruned(column: 'payload' | 'input') {
  return sql<boolean>`${sql.ref(column)} NOT LIKE ${`${PRUNED_PREFIX}%`}`;
}

async function dueRuns(tx: Tx, cutoff: number, limit: number) {
  return tx
    .selectFrom('runs')
    .select(['id', 'input'])
    .where('status', 'in', FINAL_RUN_STATUSES)
    .where('updated_at', '<', cutoff)
    .where(notPruned('input'))
    .limit(limit)
    .execute();
}

async function dueEvents(tx: Tx, cutoff: number, limit: number) {
  return tx
    .selectFrom('inbox_events as e')
    .select(['e.id', 'e.payload'])
    .where('e.received_at', '<', cutoff)
    .where('e.status', 'in', ['dispatched', 'quarantined'])
    .where(sql<boolean>`e.payload NOT LIKE ${`${PRUNED_PREFIX}%`}`)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('runs as r')
            .select('r.id')
            .whereRef('r.event_id', '=', 'e.id')
            .where('r.status', 'not in', FINAL_RUN_STATUSES),
        ),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('exceptions as x')
            .select('x.id')
            .whereRef('x.event_id', '=', 'e.id')
            .where('x.status', 'in', OPEN_EXCEPTION_STATUSES),
        ),
      ),
    )
    .limit(limit)
    .execute();
}

export async function prunePayloads(
  store: Store,
  options: { payloadDays: number; now: number; dryRun: boolean; actor: string },
): Promise<PruneResult> {
  const cutoff = options.now - options.payloadDays * 86_400_000;
  let events = 0;
  let runs = 0;
  let revisions = 0;
  let idempotencyKeys = 0;
  if (options.dryRun) {
    const count = async (rows: Promise<unknown[]>) => (await rows).length;
    return {
      cutoff: new Date(cutoff).toISOString(),
      dryRun: true,
      events: await count(dueEvents(store.db, cutoff, 1_000_000)),
      runs: await count(dueRuns(store.db, cutoff, 1_000_000)),
      revisions: 0,
      idempotencyKeys: Number(
        (
          await store.db
            .selectFrom('idempotency_keys')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('expires_at', '<=', options.now)
            .executeTakeFirstOrThrow()
        ).n,
      ),
    };
  }
  for (;;) {
    const done = await store.writeTransaction(async (tx) => {
      const rows = await dueRuns(tx, cutoff, BATCH);
      for (const row of rows) {
        await tx
          .updateTable('runs')
          .set({ input: prunedMarker(row.input, options.now) })
          .where('id', '=', row.id)
          .execute();
        const revs = await tx
          .selectFrom('payload_revisions')
          .select(['id', 'payload'])
          .where('run_id', '=', row.id)
          .execute();
        for (const rev of revs) {
          if (isPrunedPayload(rev.payload)) continue;
          await tx
            .updateTable('payload_revisions')
            .set({ payload: prunedMarker(rev.payload, options.now) })
            .where('id', '=', rev.id)
            .execute();
          revisions++;
        }
      }
      runs += rows.length;
      const evs = await dueEvents(tx, cutoff, BATCH);
      for (const ev of evs)
        await tx
          .updateTable('inbox_events')
          .set({ payload: prunedMarker(ev.payload, options.now) })
          .where('id', '=', ev.id)
          .execute();
      events += evs.length;
      return rows.length < BATCH && evs.length < BATCH;
    });
    if (done) break;
  }
  await store.writeTransaction(async (tx) => {
    const deleted = await tx.deleteFrom('idempotency_keys').where('expires_at', '<=', options.now).executeTakeFirst();
    idempotencyKeys = Number(deleted.numDeletedRows);
    if (events + runs + revisions > 0) {
      await appendAudit(tx, store.dialect, {
        actor: options.actor,
        action: 'retention.pruned',
        subject: 'payloads',
        data: { payloadDays: options.payloadDays, cutoff, events, runs, revisions },
        at: options.now,
      });
    }
  });
  return { cutoff: new Date(cutoff).toISOString(), dryRun: false, events, runs, revisions, idempotencyKeys };
}
