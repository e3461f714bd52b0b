/**
 * What reconciliation reads from the source systems and the ERP, through the ports: approved
 * procurement invoices dated in the period, expense documents approved and waiting for the ERP (READY),
 * and — per hub posting — whether the ERP holds a document under our reference. A source that cannot
 * be read is reported with its error instead of failing the reconciliation. Text that people typed
 * (invoice numbers, report names) has card numbers masked before it is kept.
 */
import { EXPENSE_POSTING_FLOW, INVOICE_POSTING } from '../../canonical/processes.js';
import type { Connectors } from '../../connectors/port.js';
import type { SourceDocument, SourceReadout } from './compare.js';
import type { ErpReferenceCheck } from './store.js';
import { maskPans } from '../../security/pan-masking.js';

export interface ReconciliationInputs {
  readonly erpSystems: readonly string[];
  readSources(from: string, to: string): Promise<SourceReadout[]>;
  readonly checkInErp?: ErpReferenceCheck;
}

const describe = (error: unknown): string =>
  maskPans(error instanceof Error ? error.message : String(error)).slice(0, 500);

async function procurementInvoices(
  connectors: Connectors,
  from: string,
  to: string,
): Promise<SourceReadout | undefined> {
  const procurement = connectors.procurement;
  if (procurement === undefined) return undefined;
  try {
    const invoices = await procurement.port.approvedInvoicesDated(from, to);
    const documents: SourceDocument[] = invoices.map((i) => ({
      system: procurement.system,
      process: INVOICE_POSTING,
      documentId: i.id,
      reference: maskPans(i.invoiceNumber),
      entity: i.companyCode,
      approvedOn: i.invoiceDate,
      total: { amount: i.grossAmount.amount, currency: i.grossAmount.currency },
      status: 'approved',
    }));
    return { system: procurement.system, process: INVOICE_POSTING, documents };
  } catch (error) {
    return { system: procurement.system, process: INVOICE_POSTING, documents: [], error: describe(error) };
  }
}

async function readyExpenseDocuments(
  connectors: Connectors,
  from: string,
  to: string,
): Promise<SourceReadout | undefined> {
  const expense = connectors.expense;
  if (expense === undefined) return undefined;
  try {
    const ready = await expense.port.readyDocuments('expense');
    const documents: SourceDocument[] = ready.flatMap((d) => {
      const approvedOn = (d.report.approvedAt ?? d.report.submittedAt).slice(0, 10);
      if (approvedOn < from || approvedOn > to) return [];
      return [
        {
          system: expense.system,
          process: EXPENSE_POSTING_FLOW,
          documentId: d.documentId,
          reference: maskPans(d.report.name),
          entity: d.report.companyCode,
          approvedOn,
          total: { amount: d.report.total.amount, currency: d.report.total.currency },
          status: d.status,
        },
      ];
    });
    return { system: expense.system, process: EXPENSE_POSTING_FLOW, documents };
  } catch (error) {
    return { system: expense.system, process: EXPENSE_POSTING_FLOW, documents: [], error: describe(error) };
  }
}

/** Reconciliation's view of the configured systems. */
/** `erpSystems`: the configured systems that are ERPs; a confirmed write to one of them is a posting. */
export function reconciliationInputs(connectors: Connectors, erpSystems: readonly string[]): ReconciliationInputs {
  const erp = connectors.erp;
  const checkInErp: ErpReferenceCheck | undefined =
    erp === undefined
      ? undefined
      : async (posting) => {
          if (posting.erpSystem !== erp.system || posting.entity === null) return undefined;
          try {
            for (const kind of ['supplier_invoice', 'journal_entry'] as const) {
              const found = await erp.port.findDocumentByReference(kind, posting.reference, {
                companyCode: posting.entity,
              });
              if (found !== null) return found.documentId;
            }
            return null;
          } catch {
            return undefined;
          }
        };
  return {
    erpSystems,
    async readSources(from, to) {
      const readouts = await Promise.all([
        procurementInvoices(connectors, from, to),
        readyExpenseDocuments(connectors, from, to),
      ]);
      return readouts.filter((r): r is SourceReadout => r !== undefined);
    },
    ...(checkInErp === undefined ? {} : { checkInErp }),
  };
}
