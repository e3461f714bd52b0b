/**
 * Approved but unposted documents at a period's end, from the hub's runs: per source document its
 * latest run (a later version replaces an earlier one) when it was approved before the end, holds
 * an entity and an amount, and no run of the document posted it before the end (not posted yet, or
 * posted after it).
 * Runs ignored by an operator are left out, and so are company card charges (flow `card-transaction`)
 * that a report the hub has read carries.
 */
import { CARD_ON_REPORT, CARD_TRANSACTION_FLOW } from '../canonical/processes.js';
import type { Store } from '../store/port.js';
import type { AccrualSource, UnpostedDocument } from './ports.js';

export class StoreAccrualSource implements AccrualSource {
  constructor(private readonly store: Store) {}

  async unposted(flows: readonly string[], endMs: number): Promise<UnpostedDocument[]> {
    if (flows.length === 0) return [];
    const rows = await this.store.db
      .selectFrom('runs')
      .select([
        'id',
        'flow',
        'system',
        'document_id',
        'status',
        'entity',
        'amount',
        'currency',
        'approved_at',
        'posted_at',
        'created_at',
      ])
      .where('flow', 'in', [...flows])
      .where('approved_at', '<', endMs)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const latest = new Map<string, (typeof rows)[number]>();
    const postedBefore = new Set<string>();
    for (const row of rows) {
      const key = `${row.flow}\u0000${row.system}\u0000${row.document_id}`;
      latest.set(key, row);
      // Any version posted before the end posted the document (a later run may only have taken it over).
      if (row.posted_at !== null && Number(row.posted_at) < endMs) postedBefore.add(key);
    }
    const onReports = await this.cardsOnReports(flows);
    const out: UnpostedDocument[] = [];
    for (const [key, row] of latest) {
      if (row.status === 'ignored' || row.entity === null || row.amount === null || row.currency === null) continue;
      if (postedBefore.has(key)) continue;
      if (row.flow === CARD_TRANSACTION_FLOW && onReports.has(`${row.system}:${row.document_id}`)) continue;
      out.push({
        flow: row.flow,
        system: row.system,
        documentId: row.document_id,
        entity: row.entity,
        amount: { amount: row.amount, currency: row.currency },
      });
    }
    return out;
  }

  /**
   * Card charges a report the hub has read carries (expense posting links them): the report is
   * posted or accrued itself, so the charge is not accrued again.
   */
  private async cardsOnReports(flows: readonly string[]): Promise<Set<string>> {
    if (!flows.includes(CARD_TRANSACTION_FLOW)) return new Set();
    const rows = await this.store.db
      .selectFrom('refs')
      .select('canonical_id')
      .where('entity_type', '=', CARD_ON_REPORT)
      .execute();
    return new Set(rows.map((r) => r.canonical_id));
  }
}
