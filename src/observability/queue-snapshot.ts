/**
 * What the queues hold right now, read from the store at scrape time: jobs and runs by status, open
 * exceptions by class and owner, and inbox events still waiting to be turned into runs.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

export interface QueueSnapshot {
  readonly jobsByStatus: ReadonlyMap<string, number>;
  readonly runsByStatus: ReadonlyMap<string, number>;
  readonly openExceptions: readonly { readonly class: string; readonly owner: string; readonly count: number }[];
  readonly inboxWaiting: number;
}

export type QueueSnapshotSource = () => Promise<QueueSnapshot>;

const count = sql<number>`count(*)`.as('n');

/** Four grouped counts over indexed columns; run once per scrape. */
export function queueSnapshotFrom(db: Kysely<Database>): QueueSnapshotSource {
  return async () => {
    const [jobs, runs, exceptions, inbox] = await Promise.all([
      db.selectFrom('jobs').select(['status', count]).groupBy('status').execute(),
      db.selectFrom('runs').select(['status', count]).groupBy('status').execute(),
      db
        .selectFrom('exceptions')
        .select(['class', 'owner', count])
        .where('status', '=', 'open')
        .groupBy(['class', 'owner'])
        .execute(),
      db.selectFrom('inbox_events').select(count).where('status', '=', 'received').executeTakeFirst(),
    ]);
    return {
      jobsByStatus: new Map(jobs.map((r) => [r.status, Number(r.n)])),
      runsByStatus: new Map(runs.map((r) => [r.status, Number(r.n)])),
      openExceptions: exceptions.map((r) => ({ class: r.class, owner: r.owner, count: Number(r.n) })),
      inboxWaiting: Number(inbox?.n ?? 0),
    };
  };
}
