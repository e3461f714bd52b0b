/** What GET /v1/close/:entity/:period and the reconciliation routes answer, as the Close page reads them. */
export interface PostedEntry {
  readonly companyCode: string;
  readonly documentNumber: string;
  readonly fiscalYear: string;
  readonly postingDate: string;
}

export interface CloseView {
  readonly entity: string;
  readonly period: string;
  readonly from: string;
  readonly to: string;
  readonly unposted: readonly { process: string; currency: string; documents: number; amount: string }[];
  readonly accrual: {
    readonly runId: string;
    readonly status: string;
    readonly correlationId: string;
    readonly planned: readonly {
      currency: string;
      documents: number;
      total: string;
      lines: readonly { flow: string; account: string; amount: string }[];
    }[];
    readonly accrued: readonly PostedEntry[];
    readonly reversed: readonly PostedEntry[];
  } | null;
  readonly reconciliations: readonly ReconciliationSummary[];
}

export interface ReconciliationSummary {
  readonly id: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly from: string;
  readonly to: string;
  readonly entity: string | null;
  readonly counts: Readonly<Record<string, number>>;
}

/** One finding of a reconciliation, the fields the page shows (the CSV has them all). */
export interface Finding {
  readonly process?: string;
  readonly system?: string;
  readonly documentId?: string;
  readonly reference?: string | null;
  readonly difference?: string;
  readonly currency?: string;
}

export interface Reconciliation {
  readonly id: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly missing: readonly Finding[];
  readonly duplicated: readonly Finding[];
  readonly amountMismatches: readonly Finding[];
  readonly notFoundInErp: readonly Finding[];
}
