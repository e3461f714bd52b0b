/**
 * Flow 1, master data publishing: the ERP (system of record for master data) publishes its finance
 * dimensions; the hub keeps versioned snapshots and makes procurement and expense offer the same
 * values. The ERP is only read, never written.
 *
 * Triggers (pollers on the source system):
 * - `master-data:changes` reads what changed since the cursor (the newest change time seen; the first
 *   poll reads everything) and emits one `dimension.changed` event per change set, its dedupe key the
 *   change set's content hash and the versions the hub holds of its keys — a poll that sees the same
 *   changes again stores nothing new, and the same content after the hub moved on is a new change;
 * - `master-data:full` re-reads everything on a schedule (daily by default) to find values the ERP
 *   deleted; its dedupe key is the content hash and the day, so it runs once a day.
 *
 * Steps: `snapshot` (commit a new version of each key whose content changed; a full read retires
 * keys it lacks; an incremental read that changed nothing ends here) → `publish-procurement` →
 * `publish-expense` → done. Each publish reads what the
 * target holds, compares it with what it should hold (master-data-targets.ts) and writes only the
 * differences: missing and stale values, values to reactivate, and retired or expired values to
 * deactivate. So every run also repairs drift, and running one twice writes nothing the second time.
 */
import { MASTER_DATA_FLOW } from '../../canonical/processes.js';
import { createHash } from 'node:crypto';
import { LedgerlinkError } from '../../canonical/errors.js';
import { parseStrictJson, stringifyJson, type JsonValue } from '../../canonical/strict-json.js';
import type { ErpPort, ExpensePort, MasterDataSnapshot, ProcurementPort } from '../../connectors/port.js';
import type {
  FlowDefinition,
  InboundEvent,
  PollerDefinition,
  StepContext,
  StepOutcome,
} from '../../engine/step-api.js';
import type { MasterDataRepository } from '../../hub/ports.js';
import { entriesOf, heldMasterData } from '../../hub/master-data/entries.js';
import {
  driftOf,
  expenseValues,
  listActuals,
  procurementActuals,
  procurementValues,
  writesFor,
  EXPENSE_DIMENSIONS,
  PROCUREMENT_DIMENSIONS,
  type ExpenseDimension,
} from '../../hub/master-data/targets.js';

export const DIMENSION_CHANGED = 'dimension.changed';
export const CHANGES_POLLER = 'master-data:changes';
export const FULL_READ_POLLER = 'master-data:full';

export interface MasterDataFlowOptions {
  readonly source: { readonly system: string; readonly port: ErpPort };
  readonly procurement?: { readonly system: string; readonly port: ProcurementPort };
  /** The expense platform and its list ids per dimension. */
  readonly expense?: {
    readonly system: string;
    readonly port: ExpensePort;
    readonly lists: Readonly<Record<ExpenseDimension, string>>;
  };
  readonly repository: MasterDataRepository;
  /** Incremental reads: on an interval (default 60 s) or at times of day (UTC HH:MM). */
  readonly pollIntervalMs?: number;
  readonly schedule?: readonly string[];
  /** Full re-reads, at times of day (UTC HH:MM); default 02:30. */
  readonly fullReadSchedule?: readonly string[];
  /** Called after a snapshot committed new versions (the in-process validation cache reloads). */
  readonly onCommitted?: () => void;
  readonly now?: () => number;
  readonly maxAttempts?: number;
}

interface ChangeSet {
  readonly full: boolean;
  /** The day the read was made (YYYY-MM-DD): validity ends are judged on it. */
  readonly asOf: string;
  readonly newestChangeAt: string | null;
  readonly snapshot: MasterDataSnapshot;
  readonly contentHash: string;
  /** For an incremental read: the digest of the versions the hub held of its keys when it was read. */
  readonly held?: string;
}

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

function isEmpty(s: MasterDataSnapshot): boolean {
  return (
    s.legalEntities.length + s.glAccounts.length + s.costCenters.length + s.projects.length + s.taxCodes.length === 0
  );
}

function changeSet(snapshot: MasterDataSnapshot, full: boolean, now: number): ChangeSet {
  const { newestChangeAt, ...records } = snapshot;
  const contentHash = createHash('sha256')
    .update(JSON.stringify({ newestChangeAt: newestChangeAt ?? null, records }))
    .digest('hex');
  return { full, asOf: dayOf(now), newestChangeAt: newestChangeAt ?? null, snapshot: records, contentHash };
}

/** The event payload as plain JSON (the records hold only strings and booleans). */
function toPayload(set: ChangeSet): JsonValue {
  return parseStrictJson(JSON.stringify(set));
}

function readChangeSet(input: JsonValue): ChangeSet {
  const parsed = JSON.parse(stringifyJson(input)) as Partial<ChangeSet>;
  if (typeof parsed.contentHash !== 'string' || typeof parsed.asOf !== 'string' || parsed.snapshot === undefined) {
    throw new LedgerlinkError('LL_ERR_RUN_KEY_INVALID', 'dimension.changed event without a change set', {
      details: [{ path: 'payload', message: 'contentHash, asOf and snapshot are required' }],
    });
  }
  return parsed as ChangeSet;
}

/**
 * The versions the hub holds of the keys a change set touches, as a short digest. A change read
 * again while the hub still holds what it held before is the same event; the same content read after
 * the hub moved on (blocked, unblocked, then blocked again — values without change timestamps look
 * alike each time) is a new one.
 */
async function heldVersionsOf(repository: MasterDataRepository, set: ChangeSet): Promise<string> {
  const held = new Map(
    (await repository.current({ includeRetired: true })).map((e) => [`${e.kind}\u0000${e.key}`, e.version]),
  );
  const versions = entriesOf(set.snapshot, set.asOf)
    .map((e) => `${e.kind}\u0000${e.key}@${held.get(`${e.kind}\u0000${e.key}`) ?? 0}`)
    .sort();
  return createHash('sha256').update(versions.join('\n')).digest('hex').slice(0, 16);
}

function pollers(options: MasterDataFlowOptions): PollerDefinition[] {
  const { source } = options;
  const changes: PollerDefinition = {
    name: CHANGES_POLLER,
    system: source.system,
    ...(options.schedule !== undefined && options.schedule.length > 0
      ? { schedule: options.schedule }
      : { intervalMs: options.pollIntervalMs ?? 60_000 }),
    async poll({ cursor, now }) {
      const snapshot = await source.port.readMasterData(cursor);
      const next = snapshot.newestChangeAt ?? cursor;
      if (isEmpty(snapshot)) return { events: [], cursor: next };
      // The first read has nothing to compare with: it is complete, like a full read.
      const read = changeSet(snapshot, cursor === null, now);
      const set = { ...read, held: await heldVersionsOf(options.repository, read) };
      return {
        events: [
          {
            eventType: DIMENSION_CHANGED,
            dedupeKey: `master-data:${set.contentHash}:${set.held}`,
            payload: toPayload(set),
          },
        ],
        cursor: next,
      };
    },
  };
  const full: PollerDefinition = {
    name: FULL_READ_POLLER,
    system: source.system,
    schedule: options.fullReadSchedule ?? ['02:30'],
    async poll({ cursor, now }) {
      // The first time (at installation) the changes poller's first read is already complete.
      if (cursor === null) return { events: [], cursor: dayOf(now) };
      const set = changeSet(await source.port.readMasterData(null), true, now);
      return {
        events: [
          {
            eventType: DIMENSION_CHANGED,
            dedupeKey: `master-data:full:${set.asOf}:${set.contentHash}`,
            payload: toPayload(set),
          },
        ],
        cursor: set.asOf,
      };
    },
  };
  return [changes, full];
}

export function masterDataFlow(options: MasterDataFlowOptions): FlowDefinition {
  const now = options.now ?? Date.now;
  const { repository, procurement, expense } = options;
  const afterSnapshot =
    procurement !== undefined ? 'publish-procurement' : expense !== undefined ? 'publish-expense' : undefined;

  const held = async () => heldMasterData(await repository.current({ includeRetired: true }), dayOf(now()));
  // Publications of this process run one at a time, so two runs (a change and the daily full read)
  // never both find a value missing and both create it.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work);
    queue = next.catch(() => undefined);
    return next;
  };
  const finish = (next: string | undefined, state: Record<string, unknown>): StepOutcome =>
    next === undefined ? { done: true, state } : { next, state };

  return {
    name: MASTER_DATA_FLOW,
    firstStep: 'snapshot',
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    pollers: pollers(options),
    route(event: InboundEvent) {
      if (event.eventType !== DIMENSION_CHANGED || event.system !== options.source.system) return null;
      const set = readChangeSet(event.payload);
      return {
        documentId: 'master-data',
        version: set.full
          ? `full-${set.asOf}-${set.contentHash}`
          : set.held === undefined
            ? set.contentHash
            : `${set.contentHash}-${set.held}`,
        input: event.payload,
      };
    },
    steps: {
      snapshot: async (ctx: StepContext) => {
        const set = readChangeSet(ctx.run.input);
        const result = await repository.commit(entriesOf(set.snapshot, set.asOf), {
          complete: set.full,
          fetchedAt: now(),
        });
        const changed = result.added + result.changed + result.deleted > 0;
        if (changed) options.onCommitted?.();
        const state = { snapshot: { ...result, full: set.full, asOf: set.asOf } };
        // A read that overlapped the last one found nothing new: nothing to publish. A full read
        // always publishes, so targets are compared and repaired at least once a day.
        return changed || set.full ? finish(afterSnapshot, state) : { done: true, state };
      },
      'publish-procurement': async (ctx: StepContext) => {
        if (procurement === undefined) return finish(expense === undefined ? undefined : 'publish-expense', {});
        const today = dayOf(now());
        const expected = procurementValues(await held(), today);
        // The effect ledger records the publication. Its lookup finds nothing on purpose: the write
        // compares with what the suite holds first, so sending it again after an unknown outcome only
        // writes what is still different (accounts and lookup values are found by their code).
        const result = await exclusive(() =>
          ctx.effect({
            system: procurement.system,
            name: 'dimensions',
            lookup: async () => null,
            create: async () => {
              if (procurement.port.listDimensions === undefined) {
                const all = PROCUREMENT_DIMENSIONS.flatMap((d) => expected[d].map((p) => p.value));
                return summary(await procurement.port.publishDimensions(all));
              }
              const actual = procurementActuals(await procurement.port.listDimensions());
              const writes = PROCUREMENT_DIMENSIONS.flatMap((d) =>
                writesFor(expected[d], driftOf(expected[d], actual[d], today)),
              );
              return summary(
                writes.length === 0
                  ? { created: 0, updated: 0, deactivated: 0, unchanged: 0 }
                  : await procurement.port.publishDimensions(writes),
              );
            },
          }),
        );
        return finish(expense === undefined ? undefined : 'publish-expense', { procurement: result.remoteId });
      },
      'publish-expense': async (ctx: StepContext) => {
        if (expense === undefined) return { done: true, state: {} };
        const today = dayOf(now());
        const expected = expenseValues(await held(), today);
        const outcome: Record<string, string> = {};
        for (const dimension of EXPENSE_DIMENSIONS) {
          const listId = expense.lists[dimension];
          // Same reasoning as for procurement: the write is a comparison first, safe to repeat.
          const result = await exclusive(() =>
            ctx.effect({
              system: expense.system,
              name: `list:${dimension}`,
              lookup: async () => null,
              create: async () => {
                const values = expected[dimension];
                const writes =
                  expense.port.listValues === undefined
                    ? values.map((p) => p.value)
                    : writesFor(values, driftOf(values, listActuals(await expense.port.listValues(listId)), today));
                return summary(
                  writes.length === 0
                    ? { created: 0, updated: 0, unchanged: 0 }
                    : await expense.port.publishListValues(listId, writes),
                );
              },
            }),
          );
          outcome[dimension] = result.remoteId;
        }
        return { done: true, state: { expense: outcome } };
      },
    },
  };
}

/** What a publication did, as the effect's remote reference: `created=3 updated=0 deactivated=1 unchanged=0`. */
function summary(result: {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly deactivated?: number;
}): string {
  return `created=${result.created} updated=${result.updated} deactivated=${result.deactivated ?? 0} unchanged=${result.unchanged}`;
}
