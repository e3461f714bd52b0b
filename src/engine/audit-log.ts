/**
 * The tamper-evident audit log: each row's hash is sha256(prev_hash || canonical_json(row)), and the
 * head of the chain is kept in audit_head, so an edited, deleted, reordered or truncated row is found.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Dialect, Tx } from '../store/port.js';
import type { AuditLogTable } from '../store/schema.js';
import { canonicalJson } from '../canonical/canonical-json.js';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Applied to every entry's data before it is hashed and written, whoever appends it. The composition
 * root sets card-number masking here (maskAuditDataWith); until then data is written as given.
 */
let auditDataMasker: (data: unknown) => unknown = (data) => data;

export function maskAuditDataWith(mask: (data: unknown) => unknown): void {
  auditDataMasker = mask;
}

export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly correlationId?: string | null;
  readonly data?: unknown;
  readonly at: number;
}

type HashedFields = Omit<AuditLogTable, 'hash'>;

export function hashAuditRow(row: HashedFields): string {
  const body = canonicalJson({
    seq: Number(row.seq),
    at: Number(row.at),
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    correlation_id: row.correlation_id,
    data: row.data,
  });
  return createHash('sha256').update(row.prev_hash).update(body).digest('hex');
}

/** Appends inside the caller's transaction; the head row lock serialises writers on PostgreSQL. */
export async function appendAudit(tx: Tx, dialect: Dialect, entry: AuditEntry): Promise<number> {
  let query = tx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
  if (dialect === 'postgres') query = query.forUpdate();
  const head = await query.executeTakeFirstOrThrow();
  const row: HashedFields = {
    seq: Number(head.seq) + 1,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    correlation_id: entry.correlationId ?? null,
    data: canonicalJson(auditDataMasker(entry.data ?? {})),
    prev_hash: head.hash,
  };
  const hash = hashAuditRow(row);
  await tx
    .insertInto('audit_log')
    .values({ ...row, hash })
    .execute();
  await tx.updateTable('audit_head').set({ seq: row.seq, hash }).where('id', '=', 1).execute();
  return row.seq;
}

export interface AuditVerdict {
  readonly ok: boolean;
  readonly rowsChecked: number;
  readonly firstBad?: { readonly seq: number; readonly reason: string };
}

/** Walks the chain in pages; names the first row that does not verify. */
export async function verifyAudit(db: Tx, pageSize = 1_000): Promise<AuditVerdict> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) return bad(checked, expectedSeq, `row ${expectedSeq} is missing (next row is ${seq})`);
      if (row.prev_hash !== prevHash) return bad(checked, seq, 'prev_hash does not match the previous row');
      if (hashAuditRow(row) !== row.hash) return bad(checked, seq, 'row content does not match its hash');
      prevHash = row.hash;
      expectedSeq = seq + 1;
      checked++;
    }
    if (rows.length < pageSize) break;
  }
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  if (head === undefined) return bad(checked, 0, 'audit head is missing');
  if (Number(head.seq) !== expectedSeq - 1 || head.hash !== prevHash) {
    return bad(
      checked,
      expectedSeq,
      `chain ends at row ${expectedSeq - 1} but the head records row ${Number(head.seq)}`,
    );
  }
  return { ok: true, rowsChecked: checked };
}

function bad(rowsChecked: number, seq: number, reason: string): AuditVerdict {
  return { ok: false, rowsChecked, firstBad: { seq, reason } };
}

export async function countAudit(db: Tx): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
