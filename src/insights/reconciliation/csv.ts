/**
 * A reconciliation as one CSV table: one row per finding (missing, duplicated, amount_mismatch,
 * not_found_in_erp) and per accrual total, with the same columns throughout so it filters and sums in
 * a spreadsheet. Amount columns are numbers; every text cell goes through the CSV writer's guards.
 */
import type { Reconciliation } from './store.js';
import { amount, count, text, writeCsv, type CsvCell } from '../csv-writer.js';

export const reconciliationCsvHeader = [
  'finding',
  'process',
  'system',
  'document_id',
  'reference',
  'entity',
  'approved_on',
  'period',
  'currency',
  'source_amount',
  'posted_amount',
  'difference',
  'erp_documents',
  'hub_status',
  'documents',
] as const;

interface Row {
  finding: string;
  process?: string;
  system?: string;
  documentId?: string;
  reference?: string | null;
  entity?: string | null;
  approvedOn?: string | null;
  period?: string;
  currency?: string;
  sourceAmount?: string;
  postedAmount?: string;
  difference?: string;
  erpDocuments?: readonly string[];
  hubStatus?: string;
  documents?: number;
}

function cells(r: Row): CsvCell[] {
  return [
    text(r.finding),
    text(r.process),
    text(r.system),
    text(r.documentId),
    text(r.reference),
    text(r.entity),
    text(r.approvedOn),
    text(r.period),
    text(r.currency),
    amount(r.sourceAmount),
    amount(r.postedAmount),
    amount(r.difference),
    text(r.erpDocuments?.join(' ')),
    text(r.hubStatus),
    r.documents === undefined ? text(null) : count(r.documents),
  ];
}

export function reconciliationCsv(rec: Reconciliation): string {
  const rows: Row[] = [
    ...rec.missing.map((m) => ({
      finding: 'missing',
      ...m,
      ...(m.total === null ? {} : { currency: m.total.currency, sourceAmount: m.total.amount }),
    })),
    ...rec.duplicated.map((d) => ({ finding: 'duplicated', ...d, documents: d.runs })),
    ...rec.amountMismatches.map((a) => ({ finding: 'amount_mismatch', ...a })),
    ...rec.notFoundInErp.map((n) => ({ finding: 'not_found_in_erp', ...n, erpDocuments: [n.erpDocumentId] })),
    // One row per reversed chain: every version's documents and reversals, oldest first.
    ...(rec.reversed ?? []).map((r) => ({
      finding: 'reversed',
      ...r,
      erpDocuments: r.chain.flatMap((c) => [
        ...c.posted.map((d) => `v${c.version}:${d}`),
        ...c.reversals.map((d) => `v${c.version}:reversal:${d}`),
      ]),
      documents: r.chain.length,
    })),
    ...rec.accruals.map((a) => ({
      finding: 'accrual',
      entity: a.entity,
      period: a.period,
      currency: a.currency,
      sourceAmount: a.amount,
      documents: a.documents,
    })),
  ];
  return writeCsv(reconciliationCsvHeader, rows.map(cells));
}
