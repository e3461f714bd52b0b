/** Each exception's history: one row per action (operator or engine), kept with the audit row. */
import type { Kysely } from 'kysely';
import type { Tx } from '../../store/port.js';
import type { Database } from '../../store/schema.js';

export interface ExceptionActionRow {
  readonly exceptionId: string;
  readonly action: string;
  readonly actor: string;
  readonly reason: string | null;
  readonly data: Record<string, unknown>;
  readonly at: number;
}

export async function recordExceptionAction(tx: Tx, row: ExceptionActionRow): Promise<void> {
  await tx
    .insertInto('exception_actions')
    .values({
      exception_id: row.exceptionId,
      action: row.action,
      actor: row.actor,
      reason: row.reason,
      data: JSON.stringify(row.data),
      at: row.at,
    })
    .execute();
}

export interface ExceptionHistoryEntry {
  readonly at: string;
  readonly action: string;
  readonly actor: string;
  readonly reason: string | null;
  readonly data: unknown;
}

export async function exceptionHistory(
  db: Kysely<Database>,
  exceptionIds: readonly string[],
): Promise<(ExceptionHistoryEntry & { exceptionId: string })[]> {
  if (exceptionIds.length === 0) return [];
  const rows = await db
    .selectFrom('exception_actions')
    .selectAll()
    .where('exception_id', 'in', exceptionIds)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    exceptionId: r.exception_id,
    at: new Date(Number(r.at)).toISOString(),
    action: r.action,
    actor: r.actor,
    reason: r.reason,
    data: JSON.parse(r.data) as unknown,
  }));
}
