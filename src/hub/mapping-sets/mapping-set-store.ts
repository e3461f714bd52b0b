/**
 * Mapping sets as stored and published: the YAML text with its version, label, content hash, author,
 * approver and status. It does not read the YAML; callers hand it the version and hash the mapping
 * module computed.
 *
 * Statuses (an `as const` transition table; an illegal move is LL_ERR_ILLEGAL_TRANSITION):
 * `pending_approval` → `published` (approved by someone other than the author) or `rejected`;
 * `published` → `superseded` when another set is published; `superseded` → `published` when it is
 * approved again (a rollback). At most one set is published at a time: it is the current one.
 *
 * Segregation of duties is on identity: whoever authored a set cannot approve it, whatever roles they
 * hold (LL_ERR_SEGREGATION_OF_DUTIES). Every registration, approval, rejection, publication and
 * supersession is written to the audit log, with the content hash, in the same transaction.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import type { Store, Tx } from '../../store/port.js';
import type { Database } from '../../store/schema.js';
import { appendAudit } from '../../engine/audit-log.js';
import { isoTime } from '../../canonical/time.js';

export const mappingSetStatuses = ['pending_approval', 'published', 'superseded', 'rejected'] as const;
export type MappingSetStatus = (typeof mappingSetStatuses)[number];

export const mappingSetTransitions = {
  pending_approval: ['published', 'rejected'],
  published: ['superseded'],
  superseded: ['published'],
  rejected: [],
} as const satisfies Record<MappingSetStatus, readonly MappingSetStatus[]>;

/** Who acts: `name` is what author and approver columns hold (and what SoD compares), `actor` what the audit row names. */
export interface MappingActor {
  readonly name: string;
  readonly actor: string;
}

export interface NewMappingSet {
  readonly version: string;
  readonly label: string;
  readonly hash: string;
  readonly content: string;
}

export interface MappingSetRecord {
  readonly version: string;
  readonly label: string;
  readonly hash: string | null;
  readonly status: string;
  readonly author: string;
  readonly approvedBy: string | null;
  readonly rejectedBy: string | null;
  readonly rejectionReason: string | null;
  readonly createdAt: string;
  readonly approvedAt: string | null;
  readonly rejectedAt: string | null;
  readonly supersededAt: string | null;
}

export interface MappingSetFilter {
  readonly status?: string;
  readonly label?: string;
  readonly limit?: number;
}

type Row = Database['mapping_sets'];
function toRecord(row: Row): MappingSetRecord {
  return {
    version: row.version,
    label: row.label,
    hash: row.content_hash,
    status: row.status,
    author: row.author,
    approvedBy: row.approved_by,
    rejectedBy: row.rejected_by,
    rejectionReason: row.rejection_reason,
    createdAt: isoTime(row.created_at)!,
    approvedAt: isoTime(row.approved_at),
    rejectedAt: isoTime(row.rejected_at),
    supersededAt: isoTime(row.superseded_at),
  };
}

function assertTransition(row: Row, to: MappingSetStatus): void {
  const allowed = (mappingSetTransitions as Record<string, readonly string[]>)[row.status] ?? [];
  if (allowed.includes(to)) return;
  throw new LedgerlinkError(
    'LL_ERR_ILLEGAL_TRANSITION',
    `Mapping set ${row.version} is ${row.status}; it cannot become ${to}`,
    {
      details: [
        { path: 'status', message: `${row.status} → ${to} is not allowed`, version: row.version, from: row.status, to },
      ],
    },
  );
}

export class MappingSetStore {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  async list(filter: MappingSetFilter = {}): Promise<MappingSetRecord[]> {
    let query = this.store.db.selectFrom('mapping_sets').selectAll();
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.label !== undefined) query = query.where('label', '=', filter.label);
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 500);
    const rows = await query.orderBy('created_at', 'desc').orderBy('version').limit(limit).execute();
    return rows.map(toRecord);
  }

  async get(version: string): Promise<(MappingSetRecord & { readonly content: string }) | undefined> {
    const row = await this.store.db
      .selectFrom('mapping_sets')
      .selectAll()
      .where('version', '=', version)
      .executeTakeFirst();
    return row === undefined ? undefined : { ...toRecord(row), content: row.content };
  }

  /** The published set's version and text. */
  async current(): Promise<{ version: string; content: string } | undefined> {
    return this.store.db
      .selectFrom('mapping_sets')
      .select(['version', 'content'])
      .where('status', '=', 'published')
      .executeTakeFirst();
  }

  /** Records a set as pending approval; a set with the same content answers the stored one (`created: false`). */
  async register(set: NewMappingSet, by: MappingActor): Promise<{ record: MappingSetRecord; created: boolean }> {
    return this.store.writeTransaction(async (tx) => {
      await this.serialize(tx);
      const existing = await this.findSame(tx, set);
      if (existing !== undefined) return { record: toRecord(existing), created: false };
      const row = await this.insert(tx, set, by.name, 'pending_approval');
      await this.audit(tx, by.actor, 'mapping.registered', row, { author: by.name });
      return { record: toRecord(row), created: true };
    });
  }

  /** Publishes a pending (or superseded) set; the author cannot approve their own set. */
  async approve(version: string, by: MappingActor): Promise<MappingSetRecord> {
    return this.store.writeTransaction(async (tx) => {
      await this.serialize(tx);
      const row = await this.row(tx, version);
      if (row.author === by.name) {
        throw new LedgerlinkError(
          'LL_ERR_SEGREGATION_OF_DUTIES',
          `${by.name} authored mapping set ${version} and cannot approve it; another approver must`,
          {
            details: [
              {
                path: 'approver',
                message: 'the author of a mapping set cannot approve it',
                version,
                author: row.author,
                approver: by.name,
              },
            ],
          },
        );
      }
      assertTransition(row, 'published');
      const at = this.now();
      const published = { ...row, status: 'published', approved_by: by.name, approved_at: at, superseded_at: null };
      await this.audit(tx, by.actor, 'mapping.approved', published, { author: row.author, approver: by.name });
      await this.publish(tx, published, by.actor, at);
      return toRecord(published);
    });
  }

  async reject(version: string, by: MappingActor, reason: string): Promise<MappingSetRecord> {
    return this.store.writeTransaction(async (tx) => {
      await this.serialize(tx);
      const row = await this.row(tx, version);
      assertTransition(row, 'rejected');
      const rejected = {
        ...row,
        status: 'rejected',
        rejected_by: by.name,
        rejected_at: this.now(),
        rejection_reason: reason,
      };
      await tx
        .updateTable('mapping_sets')
        .set({ status: 'rejected', rejected_by: by.name, rejected_at: rejected.rejected_at, rejection_reason: reason })
        .where('version', '=', version)
        .execute();
      await this.audit(tx, by.actor, 'mapping.rejected', rejected, { author: row.author, rejectedBy: by.name, reason });
      return toRecord(rejected);
    });
  }

  /**
   * A set from the configured mappings directory whose content is not stored yet is recorded as
   * published, authored and approved by `config:<file>`: promoting the file through the owner's own
   * review is its approval. A set already stored keeps its status.
   */
  async recordFromConfig(set: NewMappingSet, file: string): Promise<{ record: MappingSetRecord; created: boolean }> {
    const actor = `config:${file}`;
    return this.store.writeTransaction(async (tx) => {
      await this.serialize(tx);
      const existing = await this.findSame(tx, set);
      if (existing !== undefined) return { record: toRecord(existing), created: false };
      const at = this.now();
      const row = await this.insert(tx, set, actor, 'pending_approval');
      await this.audit(tx, actor, 'mapping.registered', row, { author: actor, file });
      const published = { ...row, status: 'published', approved_by: actor, approved_at: at };
      await this.audit(tx, actor, 'mapping.approved', published, {
        author: actor,
        approver: actor,
        approval: 'config',
        file,
      });
      await this.publish(tx, published, actor, at);
      return { record: toRecord(published), created: true };
    });
  }

  /**
   * Publications are serialised: on PostgreSQL by locking the audit chain's head row, which every
   * audited write takes anyway; SQLite write transactions are serial already.
   */
  private async serialize(tx: Tx): Promise<void> {
    if (this.store.dialect === 'postgres')
      await tx.selectFrom('audit_head').select('seq').where('id', '=', 1).forUpdate().execute();
  }

  private async findSame(tx: Tx, set: NewMappingSet): Promise<Row | undefined> {
    return tx
      .selectFrom('mapping_sets')
      .selectAll()
      .where((eb) => eb.or([eb('content_hash', '=', set.hash), eb('version', '=', set.version)]))
      .executeTakeFirst();
  }

  private async row(tx: Tx, version: string): Promise<Row> {
    const row = await tx.selectFrom('mapping_sets').selectAll().where('version', '=', version).executeTakeFirst();
    if (row === undefined)
      throw new LedgerlinkError('LL_ERR_NOT_FOUND', `No mapping set has version ${version}`, {
        details: [{ path: 'version', message: 'unknown mapping set version', version }],
      });
    return row;
  }

  private async insert(tx: Tx, set: NewMappingSet, author: string, status: MappingSetStatus): Promise<Row> {
    const row: Row = {
      version: set.version,
      label: set.label,
      content: set.content,
      author,
      approved_by: null,
      status,
      created_at: this.now(),
      approved_at: null,
      content_hash: set.hash,
      rejected_by: null,
      rejected_at: null,
      rejection_reason: null,
      superseded_at: null,
    };
    await tx.insertInto('mapping_sets').values(row).execute();
    return row;
  }

  /** Supersedes the current set, then makes `row` the published one. */
  private async publish(tx: Tx, row: Row, actor: string, at: number): Promise<void> {
    const previous = await tx.selectFrom('mapping_sets').selectAll().where('status', '=', 'published').execute();
    for (const old of previous) {
      assertTransition(old, 'superseded');
      await tx
        .updateTable('mapping_sets')
        .set({ status: 'superseded', superseded_at: at })
        .where('version', '=', old.version)
        .execute();
      await this.audit(tx, actor, 'mapping.superseded', old, { supersededBy: row.version });
    }
    await tx
      .updateTable('mapping_sets')
      .set({ status: 'published', approved_by: row.approved_by, approved_at: at, superseded_at: null })
      .where('version', '=', row.version)
      .execute();
    await this.audit(tx, actor, 'mapping.published', row, { supersedes: previous.map((p) => p.version) });
  }

  private async audit(tx: Tx, actor: string, action: string, row: Row, data: Record<string, unknown>): Promise<void> {
    await appendAudit(tx, this.store.dialect, {
      actor,
      action,
      subject: `mapping:${row.version}`,
      data: { version: row.version, label: row.label, hash: row.content_hash, ...data },
      at: this.now(),
    });
  }
}
