/**
 * Reconciliation: documents approved in the source systems against what the hub posted to the ERP for
 * a period. Pure comparison over plain data; reconciliation-store.ts reads the hub's side from the store
 * and keeps the result. Findings:
 * - missing: approved in the period, no confirmed ERP posting;
 * - duplicated: one source document, ERP postings from more than one run (document version);
 * - amount mismatch: the source total differs from the posted total in some currency (exact decimals);
 * - not found in ERP: the hub holds a confirmed posting that the ERP, asked by our reference, lacks;
 * - reversed: a document posted, then posted again by a later version that reversed the earlier ERP
 *   documents; the chain (each version's documents and the reversals) is listed, and only what the
 *   last version posted counts (not a duplicate, its amount against the source);
 * - accruals: approved-but-not-posted totals per entity, month of approval and currency.
 */
import { Decimal } from 'decimal.js';
import { minorUnits } from '../../canonical/money.js';
import { isoDay } from '../../canonical/time.js';

export interface MoneyText {
  readonly amount: string;
  readonly currency: string;
}

/** One approved document as a source system lists it. */
export interface SourceDocument {
  readonly system: string;
  /** The flow that posts it (e.g. `expense-posting`). */
  readonly process: string;
  readonly documentId: string;
  /** What people know it by: the invoice number, the report name. */
  readonly reference: string | null;
  readonly entity: string | null;
  /** YYYY-MM-DD (UTC) */
  readonly approvedOn: string;
  readonly total: MoneyText;
  readonly status: string | null;
}

/** What one source system answered: its approved documents, or why it could not be read. */
export interface SourceReadout {
  readonly system: string;
  readonly process: string;
  readonly documents: readonly SourceDocument[];
  readonly error?: string;
}

/** One run of the hub for a source document, with its confirmed ERP postings. */
export interface HubRun {
  readonly runId: string;
  readonly flow: string;
  readonly system: string;
  readonly documentId: string;
  readonly version: string;
  readonly status: string;
  readonly entity: string | null;
  readonly amount: MoneyText | null;
  readonly approvedAt: number | null;
  readonly createdAt: number;
  readonly postings: readonly {
    readonly reference: string;
    readonly erpSystem: string;
    readonly erpDocumentId: string;
  }[];
  /** The ERP documents this run reversed (of an earlier version) before it posted: the reversal documents. */
  readonly reversals?: readonly {
    readonly reference: string;
    readonly erpSystem: string;
    readonly erpDocumentId: string;
  }[];
}

export interface ReconciliationPeriod {
  readonly from: string;
  readonly to: string;
  readonly entity?: string;
  readonly processes?: readonly string[];
}

interface DocumentFinding {
  readonly system: string;
  readonly process: string;
  readonly documentId: string;
  readonly reference: string | null;
  readonly entity: string | null;
  readonly approvedOn: string | null;
}

export interface MissingPosting extends DocumentFinding {
  readonly total: MoneyText | null;
  /** The hub's latest run status, or `not_received` when the hub never saw the document. */
  readonly hubStatus: string;
}

export interface DuplicatedPosting extends DocumentFinding {
  readonly erpDocuments: readonly string[];
  readonly runs: number;
}

/** A document whose posting was reversed and replaced by a later version: the chain, oldest first. */
export interface ReversedChain extends DocumentFinding {
  readonly chain: readonly {
    readonly runId: string;
    readonly version: string;
    /** The ERP documents the version posted. */
    readonly posted: readonly string[];
    /** The reversal documents the version made of the earlier version's documents. */
    readonly reversals: readonly string[];
    /** True when a later version reversed what this one posted. */
    readonly superseded: boolean;
  }[];
}

export interface AmountMismatch extends DocumentFinding {
  readonly currency: string;
  readonly sourceAmount: string;
  readonly postedAmount: string;
  readonly difference: string;
}

export interface NotFoundInErp extends DocumentFinding {
  readonly reference: string;
  readonly erpDocumentId: string;
}

export interface AccrualTotal {
  readonly entity: string | null;
  /** YYYY-MM of approval. */
  readonly period: string;
  readonly currency: string;
  readonly amount: string;
  readonly documents: number;
}

export interface ReconciliationFindings {
  readonly counts: {
    readonly approved: number;
    readonly posted: number;
    readonly missing: number;
    readonly duplicated: number;
    readonly amountMismatches: number;
    readonly notFoundInErp: number;
    readonly reversed: number;
  };
  readonly missing: readonly MissingPosting[];
  readonly duplicated: readonly DuplicatedPosting[];
  readonly amountMismatches: readonly AmountMismatch[];
  readonly notFoundInErp: readonly NotFoundInErp[];
  readonly reversed: readonly ReversedChain[];
  readonly accruals: readonly AccrualTotal[];
}

/** Sums decimal amounts per currency, never across currencies. */
export function totalsByCurrency(amounts: readonly MoneyText[]): Map<string, Decimal> {
  const totals = new Map<string, Decimal>();
  for (const m of amounts)
    totals.set(m.currency, (totals.get(m.currency) ?? new Decimal(0)).plus(new Decimal(m.amount)));
  return totals;
}

export function formatIn(currency: string, value: Decimal): string {
  let digits = 2;
  try {
    digits = minorUnits(currency);
  } catch {
    // An unknown currency keeps the digits it has.
    return value.toFixed();
  }
  return value.decimalPlaces() > digits ? value.toFixed() : value.toFixed(digits);
}

const keyOf = (system: string, documentId: string): string => `${system}\u0000${documentId}`;

interface DocumentView {
  source: SourceDocument | undefined;
  runs: HubRun[];
}

function inScope(
  period: ReconciliationPeriod,
  process: string,
  entity: string | null,
  approvedOn: string | null,
): boolean {
  if (approvedOn === null || approvedOn < period.from || approvedOn > period.to) return false;
  if (period.entity !== undefined && entity !== period.entity) return false;
  if (period.processes !== undefined && period.processes.length > 0 && !period.processes.includes(process))
    return false;
  return true;
}

/** Compares; `notFound` lists the hub postings the ERP answered it does not hold. */
export function reconcile(
  period: ReconciliationPeriod,
  sources: readonly SourceReadout[],
  runs: readonly HubRun[],
  notFound: readonly { readonly runId: string; readonly reference: string; readonly erpDocumentId: string }[] = [],
): ReconciliationFindings {
  const views = new Map<string, DocumentView>();
  const view = (system: string, documentId: string): DocumentView => {
    const key = keyOf(system, documentId);
    let v = views.get(key);
    if (v === undefined) views.set(key, (v = { source: undefined, runs: [] }));
    return v;
  };
  for (const readout of sources) for (const doc of readout.documents) view(doc.system, doc.documentId).source = doc;
  for (const run of runs) view(run.system, run.documentId).runs.push(run);

  const missing: MissingPosting[] = [];
  const duplicated: DuplicatedPosting[] = [];
  const amountMismatches: AmountMismatch[] = [];
  const reversed: ReversedChain[] = [];
  const accrualMap = new Map<
    string,
    { entity: string | null; period: string; currency: string; amount: Decimal; documents: number }
  >();
  let approved = 0;
  let posted = 0;

  for (const { source, runs: docRuns } of views.values()) {
    docRuns.sort((a, b) => a.createdAt - b.createdAt || a.runId.localeCompare(b.runId));
    const latest = docRuns[docRuns.length - 1];
    const firstApproval = docRuns.find((r) => r.approvedAt !== null)?.approvedAt ?? null;
    const finding: DocumentFinding = {
      system: source?.system ?? latest!.system,
      process: source?.process ?? latest!.flow,
      documentId: source?.documentId ?? latest!.documentId,
      reference: source?.reference ?? null,
      entity: source?.entity ?? latest?.entity ?? null,
      approvedOn: source?.approvedOn ?? (firstApproval === null ? null : isoDay(firstApproval)),
    };
    if (!inScope(period, finding.process, finding.entity, finding.approvedOn)) continue;
    approved++;
    // A run whose postings a later run reversed no longer counts; the chain is shown instead.
    const reversing = docRuns.filter((r) => (r.reversals?.length ?? 0) > 0);
    const superseded = (run: HubRun): boolean =>
      reversing.some((later) => docRuns.indexOf(later) > docRuns.indexOf(run));
    if (reversing.length > 0 && inScope(period, finding.process, finding.entity, finding.approvedOn))
      reversed.push({
        ...finding,
        chain: docRuns
          .filter((r) => r.postings.length > 0 || (r.reversals?.length ?? 0) > 0)
          .map((r) => ({
            runId: r.runId,
            version: r.version,
            posted: r.postings.map((p) => p.erpDocumentId),
            reversals: (r.reversals ?? []).map((p) => p.erpDocumentId),
            superseded: superseded(r),
          })),
      });
    const postedRuns = docRuns.filter((r) => r.postings.length > 0 && !superseded(r));
    const sourceTotal = source?.total ?? latest?.amount ?? null;
    if (postedRuns.length === 0) {
      missing.push({ ...finding, total: sourceTotal, hubStatus: latest?.status ?? 'not_received' });
      if (sourceTotal !== null) {
        const month = finding.approvedOn!.slice(0, 7);
        const key = `${finding.entity ?? ''}\u0000${month}\u0000${sourceTotal.currency}`;
        const entry = accrualMap.get(key) ?? {
          entity: finding.entity,
          period: month,
          currency: sourceTotal.currency,
          amount: new Decimal(0),
          documents: 0,
        };
        entry.amount = entry.amount.plus(new Decimal(sourceTotal.amount));
        entry.documents++;
        accrualMap.set(key, entry);
      }
      continue;
    }
    posted++;
    if (postedRuns.length > 1) {
      const erpDocuments = [...new Set(postedRuns.flatMap((r) => r.postings.map((p) => p.erpDocumentId)))].sort();
      duplicated.push({ ...finding, erpDocuments, runs: postedRuns.length });
    }
    const postedAmounts = postedRuns.flatMap((r) => (r.amount === null ? [] : [r.amount]));
    if (sourceTotal === null || postedAmounts.length === 0) continue;
    const sourceTotals = totalsByCurrency([sourceTotal]);
    const postedTotals = totalsByCurrency(postedAmounts);
    for (const currency of [...new Set([...sourceTotals.keys(), ...postedTotals.keys()])].sort()) {
      const s = sourceTotals.get(currency) ?? new Decimal(0);
      const p = postedTotals.get(currency) ?? new Decimal(0);
      if (s.equals(p)) continue;
      amountMismatches.push({
        ...finding,
        currency,
        sourceAmount: formatIn(currency, s),
        postedAmount: formatIn(currency, p),
        difference: formatIn(currency, s.minus(p)),
      });
    }
  }

  const runById = new Map(runs.map((r) => [r.runId, r]));
  const notFoundInErp: NotFoundInErp[] = notFound.flatMap((n) => {
    const run = runById.get(n.runId);
    if (run === undefined) return [];
    const approvedOn = run.approvedAt === null ? null : isoDay(run.approvedAt);
    if (!inScope(period, run.flow, run.entity, approvedOn)) return [];
    return [
      {
        system: run.system,
        process: run.flow,
        documentId: run.documentId,
        reference: n.reference,
        entity: run.entity,
        approvedOn,
        erpDocumentId: n.erpDocumentId,
      },
    ];
  });

  const byDocument = (a: DocumentFinding, b: DocumentFinding) =>
    a.process.localeCompare(b.process) || a.system.localeCompare(b.system) || a.documentId.localeCompare(b.documentId);
  const accruals = [...accrualMap.values()]
    .map((a) => ({
      entity: a.entity,
      period: a.period,
      currency: a.currency,
      amount: formatIn(a.currency, a.amount),
      documents: a.documents,
    }))
    .sort(
      (a, b) =>
        (a.entity ?? '').localeCompare(b.entity ?? '') ||
        a.period.localeCompare(b.period) ||
        a.currency.localeCompare(b.currency),
    );
  return {
    counts: {
      approved,
      posted,
      missing: missing.length,
      duplicated: duplicated.length,
      amountMismatches: amountMismatches.length,
      notFoundInErp: notFoundInErp.length,
      reversed: reversed.length,
    },
    missing: missing.sort(byDocument),
    duplicated: duplicated.sort(byDocument),
    amountMismatches: amountMismatches.sort(byDocument),
    notFoundInErp: notFoundInErp.sort(byDocument),
    reversed: reversed.sort(byDocument),
    accruals,
  };
}
