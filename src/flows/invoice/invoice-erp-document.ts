/**
 * The ERP supplier invoice a procurement invoice becomes, pure: each line's ERP coding through the
 * mapping set, PO lines as purchase order reference items, the tax on the entity's tax code, and
 * the balance check (debit lines + tax = the vendor's credit, the gross total).
 *
 * Mapping tables (mapping set, see docs/flows.md):
 *   invoice-account      keys [account, entity]    → glAccount   (procurement account segment → ERP GL account)
 *   invoice-cost-center  keys [sourceCostCenter, entity] → costCenter  (optional: unmapped codes pass as they are)
 *   invoice-tax          keys [entity]             → taxCode     (input tax code of the invoice's tax)
 * A non-PO line needs a GL account rule; a PO line takes its account assignment from the order in the
 * ERP, so its GL account is mapped only when a rule exists (for the coding check).
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import { add, compare, formatAmount, isZero, type Money } from '../../canonical/money.js';
import type { ApprovalEvidence, SupplierInvoice } from '../../canonical/model/index.js';
import type { ErpInvoiceLine, ErpSupplierInvoice } from '../../connectors/ports/erp-port.js';
import type { MappingSet } from '../../mapping/mapping-set.js';
import type { MatchedOrderLine } from './invoice-po-match.js';

export const ACCOUNT_TABLE = 'invoice-account';
export const COST_CENTER_TABLE = 'invoice-cost-center';
export const TAX_TABLE = 'invoice-tax';

export interface MappedInvoiceLine {
  readonly lineNumber: number;
  readonly amount: Money;
  /** The procurement account segment the GL account was mapped from. */
  readonly sourceAccount?: string;
  readonly glAccount?: string;
  readonly costCenter?: string;
  readonly project?: string;
  readonly taxCode: string;
  readonly text: string;
  readonly purchaseOrder?: {
    readonly purchaseOrder: string;
    readonly purchaseOrderItem: string;
    readonly quantity?: string;
    readonly unitOfMeasure?: string;
  };
}

function invalid(message: string, path: string): never {
  throw new LedgerlinkError('LL_ERR_VALIDATION', message, { details: [{ path, message }] });
}

export function mapInvoiceLines(
  invoice: SupplierInvoice,
  orderLines: Readonly<Record<string, MatchedOrderLine>>,
  set: MappingSet,
): MappedInvoiceLine[] {
  const entity = invoice.companyCode;
  const { taxCode } = set.lookup(TAX_TABLE, { entity });
  if (taxCode === undefined)
    invalid(`The ${TAX_TABLE} row for company code ${entity} has no taxCode; add it to the mapping set`, TAX_TABLE);
  return invoice.lines.map((line, index) => {
    const order = orderLines[String(line.lineNumber)];
    const sourceAccount = line.glAccount ?? order?.glAccount;
    const sourceCostCenter = line.costCenter ?? order?.costCenter;
    const project = line.project ?? order?.project;
    let glAccount: string | undefined;
    if (order === undefined) {
      if (sourceAccount === undefined)
        invalid(
          `Line ${line.lineNumber} of invoice ${invoice.invoiceNumber} names no account and no purchase order line; code the line in procurement, then retry`,
          `lines/${index}/glAccount`,
        );
      glAccount = set.lookup(ACCOUNT_TABLE, { account: sourceAccount, entity })['glAccount'];
      if (glAccount === undefined)
        invalid(
          `The ${ACCOUNT_TABLE} row for account ${sourceAccount} has no glAccount; correct the mapping set`,
          ACCOUNT_TABLE,
        );
    } else if (sourceAccount !== undefined) {
      glAccount = set.tryLookup(ACCOUNT_TABLE, { account: sourceAccount, entity })?.['glAccount'];
    }
    const costCenter =
      sourceCostCenter === undefined
        ? undefined
        : (set.tryLookup(COST_CENTER_TABLE, { sourceCostCenter, entity })?.['costCenter'] ?? sourceCostCenter);
    return {
      lineNumber: line.lineNumber,
      amount: line.netAmount,
      ...(sourceAccount === undefined ? {} : { sourceAccount }),
      ...(glAccount === undefined ? {} : { glAccount }),
      ...(costCenter === undefined ? {} : { costCenter }),
      ...(project === undefined ? {} : { project }),
      taxCode,
      text: `${invoice.invoiceNumber} ${line.description ?? ''}`.trim().slice(0, 50),
      ...(order === undefined
        ? {}
        : {
            purchaseOrder: {
              purchaseOrder: order.purchaseOrder,
              purchaseOrderItem: order.item,
              ...(line.quantity === undefined ? {} : { quantity: line.quantity }),
              unitOfMeasure: line.unitOfMeasure ?? order.unitOfMeasure,
            },
          }),
    };
  });
}

/** The latest approval, in at most 25 characters (the ERP's header text): "Appr cfo 2025-01-09". */
export function approvalHeaderText(invoice: SupplierInvoice): string {
  const last: ApprovalEvidence | undefined = invoice.approvals[invoice.approvals.length - 1];
  return (
    last === undefined
      ? `Inv ${invoice.invoiceNumber}`
      : `Appr ${last.approverId.slice(0, 10)} ${last.approvedAt.slice(0, 10)}`
  ).slice(0, 25);
}

/** The ERP supplier invoice without its reference (the effect ledger's key is added when posting). */
export function erpSupplierInvoice(
  invoice: SupplierInvoice,
  lines: readonly MappedInvoiceLine[],
  parties: { readonly vendorId: string; readonly postingDate: string },
): Omit<ErpSupplierInvoice, 'reference'> {
  if (invoice.kind === 'credit_note' || lines.some((l) => l.amount.amount.startsWith('-'))) {
    invalid(
      `Invoice ${invoice.invoiceNumber} is a credit note or has negative lines; post it in the ERP as a credit memo against the invoice it corrects`,
      'kind',
    );
  }
  let net: Money = { amount: '0', currency: invoice.currency };
  const erpLines: ErpInvoiceLine[] = lines.map((line) => {
    net = add(net, line.amount);
    return {
      glAccount: line.glAccount ?? '',
      side: 'D',
      amount: line.amount,
      ...(line.costCenter === undefined ? {} : { costCenter: line.costCenter }),
      ...(line.project === undefined ? {} : { project: line.project }),
      taxCode: line.taxCode,
      text: line.text,
      ...(line.purchaseOrder === undefined ? {} : { purchaseOrder: line.purchaseOrder }),
    };
  });
  const total = add(net, invoice.taxAmount);
  if (compare(total, invoice.grossAmount) !== 0) {
    const show = (m: Money): string => `${formatAmount(m.amount, m.currency)} ${m.currency}`;
    invalid(
      `Invoice ${invoice.invoiceNumber}: lines ${show(net)} + tax ${show(invoice.taxAmount)} = ${show(total)}, but the gross total is ${show(invoice.grossAmount)}; ask the supplier to correct the invoice`,
      'grossAmount',
    );
  }
  const taxCode = lines[0]?.taxCode;
  return {
    companyCode: invoice.companyCode,
    vendorId: parties.vendorId,
    documentDate: invoice.invoiceDate,
    postingDate: parties.postingDate,
    gross: invoice.grossAmount,
    lines: erpLines,
    taxes: isZero(invoice.taxAmount) || taxCode === undefined ? [] : [{ taxCode, amount: invoice.taxAmount }],
    headerText: approvalHeaderText(invoice),
  };
}
