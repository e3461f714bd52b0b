/**
 * The match step of invoice posting, pure: a procurement invoice's PO lines against the purchase
 * order lines and (three-way) the goods received, with the configured tolerances. Lines that name
 * no purchase order are not matched (they are non-PO lines, coded through the mapping set).
 * PO lines are keyed `<po number>/<line number>` so messages name them as AP clerks know them.
 */
import type { GoodsReceipt, PurchaseOrder, SupplierInvoice } from '../../canonical/model/index.js';
import {
  matchInvoice,
  type InvoiceLineInput,
  type InvoiceMatchResult,
  type MatchMode,
  type MatchTolerances,
  type PoLineInput,
  type ReceiptInput,
} from '../../validation/invoice-match.js';
import { issuesToError } from '../../validation/validation-issue.js';
import type { LedgerlinkError } from '../../canonical/errors.js';

export interface MatchSettings {
  readonly tolerances: MatchTolerances;
  readonly mode: MatchMode;
}

/** What the posting needs of the PO line an invoice line was matched to. */
export interface MatchedOrderLine {
  readonly purchaseOrder: string;
  readonly item: string;
  readonly unitOfMeasure: string;
  readonly glAccount?: string;
  readonly costCenter?: string;
  readonly project?: string;
}

export interface InvoiceMatchOutcome {
  /** 'none' when the invoice has no PO lines. */
  readonly mode: MatchMode | 'none';
  readonly result: InvoiceMatchResult;
  /** Invoice line number → the PO line it names (only lines matched to an existing PO line). */
  readonly orderLines: Readonly<Record<string, MatchedOrderLine>>;
}

const lineKey = (purchaseOrder: string, line: number): string => `${purchaseOrder}/${line}`;

/** The purchase order numbers an invoice's lines name. */
export function purchaseOrdersOf(invoice: SupplierInvoice): string[] {
  return [...new Set(invoice.lines.flatMap((l) => (l.purchaseOrderId === undefined ? [] : [l.purchaseOrderId])))];
}

export function matchAgainstOrders(
  invoice: SupplierInvoice,
  orders: readonly PurchaseOrder[],
  receipts: readonly GoodsReceipt[],
  settings: MatchSettings,
): InvoiceMatchOutcome {
  const poLines: PoLineInput[] = [];
  const byKey = new Map<string, MatchedOrderLine>();
  for (const order of orders) {
    for (const line of order.lines) {
      const id = lineKey(order.number, line.lineNumber);
      poLines.push({
        id,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        goodsReceiptRequired: line.goodsReceiptRequired,
      });
      byKey.set(id, {
        purchaseOrder: order.number,
        item: String(line.lineNumber),
        unitOfMeasure: line.unitOfMeasure,
        ...(line.glAccount === undefined ? {} : { glAccount: line.glAccount }),
        ...(line.costCenter === undefined ? {} : { costCenter: line.costCenter }),
        ...(line.project === undefined ? {} : { project: line.project }),
      });
    }
  }
  const numberOf = new Map(orders.map((o) => [o.id, o.number]));
  const received: ReceiptInput[] = receipts.flatMap((receipt) => {
    const number = numberOf.get(receipt.purchaseOrderId);
    return number === undefined
      ? []
      : receipt.lines.map((l) => ({
          poLineId: lineKey(number, l.purchaseOrderLine),
          quantity: l.quantity,
          reversal: receipt.reversal,
        }));
  });
  const lines: InvoiceLineInput[] = invoice.lines
    .filter((l) => l.purchaseOrderId !== undefined)
    .map((l) => ({
      lineNo: l.lineNumber,
      poLineId: l.purchaseOrderLine === undefined ? undefined : lineKey(l.purchaseOrderId!, l.purchaseOrderLine),
      quantity: l.quantity ?? '1',
      unitPrice: l.unitPrice ?? l.netAmount,
      amount: l.netAmount,
    }));
  if (lines.length === 0) return { mode: 'none', result: { matched: true, lines: [], issues: [] }, orderLines: {} };
  const result = matchInvoice(lines, poLines, received, settings.tolerances, settings.mode);
  const orderLines: Record<string, MatchedOrderLine> = {};
  for (const line of lines) {
    const found = line.poLineId === undefined ? undefined : byKey.get(line.poLineId);
    if (found !== undefined) orderLines[String(line.lineNo)] = found;
  }
  return { mode: settings.mode, result, orderLines };
}

/** LL_ERR_VALIDATION with every line issue, or undefined when the invoice matched. */
export function matchFailure(invoice: SupplierInvoice, outcome: InvoiceMatchOutcome): LedgerlinkError | undefined {
  const orders = purchaseOrdersOf(invoice).join(', ');
  const supplier = invoice.supplierName ?? `supplier ${invoice.supplierId}`;
  return issuesToError(
    outcome.result.issues,
    `Invoice ${invoice.invoiceNumber} of ${supplier} does not match purchase order ${orders} (${outcome.mode} match)`,
  );
}
