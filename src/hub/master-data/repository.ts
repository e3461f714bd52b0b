/**
 * The store-backed master data repository: versioned snapshots of the ERP's dimensions in
 * `master_data` (kind, key, version, data, hash, validity, retired, fetched_at). A key gets a new
 * version only when its content hash changes; old versions are kept, so what the hub held at any
 * time can be read back. `data` holds `{ record, retiredReason }` as canonical JSON and `hash` is its
 * SHA-256, so retiring a value (blocked, expired, deleted) is a new version too.
 *
 * A commit is one write transaction. Two commits racing on the same key (PostgreSQL) make one of them
 * fail on the primary key; its step is retried and then finds the content already stored.
 */
import { createHash } from 'node:crypto';
import type { Store } from '../../store/port.js';
import { canonicalJson } from '../../canonical/canonical-json.js';
import type { MasterDataCommitResult, MasterDataEntry, MasterDataRepository, StoredMasterDataEntry } from '../ports.js';

interface Row {
  kind: string;
  key: string;
  version: number | string;
  data: string;
  hash: string;
  valid_from: string | null;
  valid_to: string | null;
  retired: number | string;
  fetched_at: number | string;
}

function contentOf(entry: Pick<MasterDataEntry, 'record' | 'retiredReason'>): { data: string; hash: string } {
  const data = canonicalJson({ record: entry.record, retiredReason: entry.retiredReason });
  return { data, hash: createHash('sha256').update(data).digest('hex') };
}

function toEntry(row: Row): StoredMasterDataEntry {
  const parsed = JSON.parse(row.data) as { record: Record<string, unknown>; retiredReason: string | null };
  return {
    kind: row.kind,
    key: row.key,
    version: Number(row.version),
    hash: row.hash,
    record: parsed.record,
    retiredReason: parsed.retiredReason,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    retired: Number(row.retired) === 1,
    fetchedAt: Number(row.fetched_at),
  };
}

const identity = (kind: string, key: string): string => `${kind}\u0000${key}`;

export class StoreMasterDataRepository implements MasterDataRepository {
  constructor(private readonly store: Store) {}

  async commit(
    entries: readonly MasterDataEntry[],
    options: { readonly complete: boolean; readonly fetchedAt: number },
  ): Promise<MasterDataCommitResult> {
    return this.store.writeTransaction(async (tx) => {
      const newest = new Map<string, StoredMasterDataEntry>();
      for (const row of (await newestRows(tx)) as Row[]) {
        const entry = toEntry(row);
        newest.set(identity(entry.kind, entry.key), entry);
      }
      const result = { added: 0, changed: 0, deleted: 0, unchanged: 0 };
      const seen = new Set<string>();
      const rows: Row[] = [];
      const add = (entry: MasterDataEntry, version: number): void => {
        const { data, hash } = contentOf(entry);
        rows.push({
          kind: entry.kind,
          key: entry.key,
          version,
          data,
          hash,
          valid_from: entry.validFrom,
          valid_to: entry.validTo,
          retired: entry.retired ? 1 : 0,
          fetched_at: options.fetchedAt,
        });
      };
      for (const entry of entries) {
        const id = identity(entry.kind, entry.key);
        if (seen.has(id)) continue;
        seen.add(id);
        const held = newest.get(id);
        if (held === undefined) {
          add(entry, 1);
          result.added++;
        } else if (held.hash !== contentOf(entry).hash) {
          add(entry, held.version + 1);
          result.changed++;
        } else result.unchanged++;
      }
      if (options.complete) {
        for (const [id, held] of newest) {
          if (seen.has(id) || held.retiredReason === 'deleted') continue;
          add({ ...held, retired: true, retiredReason: 'deleted' }, held.version + 1);
          result.deleted++;
        }
      }
      for (let start = 0; start < rows.length; start += 200) {
        await tx
          .insertInto('master_data')
          .values(
            rows.slice(start, start + 200).map((r) => ({
              ...r,
              version: Number(r.version),
              retired: Number(r.retired),
              fetched_at: Number(r.fetched_at),
            })),
          )
          .execute();
      }
      return result;
    });
  }

  async current(options: { readonly includeRetired?: boolean } = {}): Promise<StoredMasterDataEntry[]> {
    const entries = ((await newestRows(this.store.db)) as Row[]).map(toEntry);
    const shown = options.includeRetired === true ? entries : entries.filter((e) => !e.retired);
    return shown.sort((a, b) =>
      a.kind === b.kind ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.kind < b.kind ? -1 : 1,
    );
  }

  async revision(): Promise<string> {
    const row = await this.store.db
      .selectFrom('master_data')
      .select((eb) => [eb.fn.countAll().as('versions'), eb.fn.max('fetched_at').as('newest')])
      .executeTakeFirst();
    return `${String(row?.versions ?? 0)}:${String(row?.newest ?? 0)}`;
  }
}

/** The newest version of every key: rows whose version is the highest of their kind and key. */
function newestRows(db: Store['db']): Promise<unknown[]> {
  return db
    .selectFrom('master_data as m')
    .selectAll('m')
    .where('m.version', '=', (eb) =>
      eb
        .selectFrom('master_data as n')
        .select((n) => n.fn.max('n.version').as('v'))
        .whereRef('n.kind', '=', 'm.kind')
        .whereRef('n.key', '=', 'm.key'),
    )
    .execute();
}
