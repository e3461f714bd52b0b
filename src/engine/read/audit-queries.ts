/**
 * The audit log as people read it: newest first, filtered by action, actor, subject or correlation
 * ID, paged by sequence number (the primary key, so every page is an index range).
 */
import type { Kysely } from 'kysely';
import { isoTime } from '../../canonical/time.js';
import type { Database } from '../../store/schema.js';

export interface AuditFilter {
  readonly action?: string;
  readonly actor?: string;
  readonly subject?: string;
  readonly correlationId?: string;
}

export interface AuditRow {
  readonly seq: number;
  readonly at: string | null;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly correlationId: string | null;
  readonly data: unknown;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** One page, newest first; `next` is the cursor (a sequence number) of the following page, or null. */
export async function listAudit(
  db: Kysely<Database>,
  filter: AuditFilter,
  page: { readonly before?: number; readonly limit: number },
): Promise<{ entries: AuditRow[]; next: string | null }> {
  let q = db.selectFrom('audit_log').selectAll();
  if (filter.action !== undefined) q = q.where('action', '=', filter.action);
  if (filter.actor !== undefined) q = q.where('actor', '=', filter.actor);
  if (filter.subject !== undefined) q = q.where('subject', '=', filter.subject);
  if (filter.correlationId !== undefined) q = q.where('correlation_id', '=', filter.correlationId);
  if (page.before !== undefined) q = q.where('seq', '<', page.before);
  const rows = await q
    .orderBy('seq', 'desc')
    .limit(page.limit + 1)
    .execute();
  const entries = rows.slice(0, page.limit).map((r) => ({
    seq: Number(r.seq),
    at: isoTime(r.at),
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    correlationId: r.correlation_id,
    data: parsed(r.data),
  }));
  const last = entries[entries.length - 1];
  return { entries, next: rows.length > page.limit && last !== undefined ? String(last.seq) : null };
}
