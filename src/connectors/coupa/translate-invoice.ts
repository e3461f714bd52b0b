/**
 * A Coupa invoice (R39 InvoiceHeader, R39_Invoicing_API.json) as a canonical supplier invoice:
 * - lines: `invoice-lines[]` (`total` net, `price`, `quantity`, `account`, `po-number`,
 *   `order-line-num` or the order line's number by `order-line-id`);
 * - a line split over accounts (`account-allocations[]`, InvoiceLineAllocation `account`, `amount`,
 *   `pct`) becomes one line per allocation, with its share of the amount, quantity and tax; the
 *   first keeps the line's number, the others are numbered after the invoice's last line;
 * - charges (`invoice-charges[]`, InvoiceCharge: shipping, handling, misc) become lines after those,
 *   with their account (or allocations) and no purchase order;
 * - tax: with `line-level-taxation` the sum of the lines' and charges' tax (a line's `tax-amount`,
 *   else its `tax-lines[].amount`), each line carrying its own; otherwise the header `tax-amount`
 *   ("not used if tax is provided at line level").
 */
import { add, allocate, MoneyDecimal, parseMoney, zero, type Money } from '../../canonical/money.js';
import type { SupplierInvoice, SupplierInvoiceLine } from '../../canonical/model/index.js';
import { ownValue, type JsonObject } from '../../canonical/strict-json.js';
import type { ProcurementInvoice } from '../ports/procurement-port.js';
import { approvalsOf, attachmentsOf } from './invoice-evidence.js';
import {
  asArray,
  asObject,
  coding,
  companyCodeOf,
  currencyOf,
  dateOf,
  flag,
  integer,
  invalid,
  optObject,
  optText,
  quantity,
  text,
} from './translate.js';

/** The objects of a list field, or none. */
function objects(record: JsonObject, key: string): JsonObject[] {
  const value = ownValue(record, key);
  return (Array.isArray(value) ? value : []).map((entry, index) => asObject(entry, `${key}[${index}]`));
}

/** A line's or charge's tax: its `tax-amount`, else the sum of its `tax-lines[].amount`. */
function taxOf(item: JsonObject, currency: string, path: string): Money {
  const given = ownValue(item, 'tax-amount');
  if (given !== undefined && given !== null && given !== '') return parseMoney(given, currency, `${path}.tax-amount`);
  return objects(item, 'tax-lines').reduce(
    (total, line, index) =>
      add(total, parseMoney(ownValue(line, 'amount') ?? '0', currency, `${path}.tax-lines[${index}]`)),
    zero(currency),
  );
}

interface Piece {
  readonly account: JsonObject | undefined;
  readonly net: Money;
  readonly tax: Money;
  readonly share: string | undefined;
}

/** The item split by its `account-allocations` (amounts when all given, else `pct`), or whole. */
function pieces(item: JsonObject, net: Money, tax: Money, path: string): Piece[] {
  const allocations = objects(item, 'account-allocations');
  if (allocations.length < 2)
    return [
      {
        account: optObject(allocations[0] ?? item, 'account') ?? optObject(item, 'account'),
        net,
        tax,
        share: undefined,
      },
    ];
  const amounts = allocations.map((a) => optText(a, 'amount'));
  const weights = amounts.every((a) => a !== undefined)
    ? amounts.map((a) => a!.replace(/^-/, ''))
    : allocations.map(
        (a, i) => optText(a, 'pct') ?? invalid(`${path}.account-allocations[${i}]`, 'has no amount or pct'),
      );
  const nets = allocate(net, weights);
  const taxes = allocate(tax, weights);
  const total = weights.reduce((sum, w) => sum.plus(w), new MoneyDecimal(0));
  return allocations.map((allocation, i) => ({
    account: optObject(allocation, 'account'),
    net: nets[i]!,
    tax: taxes[i]!,
    share: new MoneyDecimal(weights[i]!).div(total).toString(),
  }));
}

/**
 * An invoice; `orderLineNumber` answers the PO line number of an `order-line-id` when the line does
 * not carry `order-line-num` (the connector reads the orders for it).
 */
export function toInvoice(
  record: JsonObject,
  system: string,
  orderLineNumber: (orderLineId: string) => number | undefined = () => undefined,
): SupplierInvoice {
  const id = text(record, 'id');
  const currency = currencyOf(record);
  const lineLevel = flag(record, 'line-level-taxation');
  const rawLines = asArray(ownValue(record, 'invoice-lines'), 'invoice-lines');
  const invoiceLines = rawLines.map((entry, index) => asObject(entry, `invoice-lines[${index}]`));
  let next = invoiceLines.reduce((max, line) => Math.max(max, integer(line, 'line-num')), 0);
  let net: Money = zero(currency);
  let lineTax: Money = zero(currency);
  let purchaseOrder: string | undefined;
  const lines: SupplierInvoiceLine[] = [];
  invoiceLines.forEach((line, index) => {
    const path = `invoice-lines[${index}]`;
    const total = parseMoney(ownValue(line, 'total'), currency, `${path}.total`);
    const tax = lineLevel ? taxOf(line, currency, path) : zero(currency);
    const price = ownValue(line, 'price');
    const qty = optText(line, 'quantity') === undefined ? undefined : quantity(line, 'quantity').value;
    const poNumber = optText(line, 'po-number');
    purchaseOrder ??= poNumber;
    const description = optText(line, 'description');
    const orderLineId = optText(line, 'order-line-id');
    const orderLine =
      optText(line, 'order-line-num') === undefined
        ? orderLineId === undefined
          ? undefined
          : orderLineNumber(orderLineId)
        : integer(line, 'order-line-num');
    pieces(line, total, tax, path).forEach((piece, p) => {
      net = add(net, piece.net);
      lineTax = add(lineTax, piece.tax);
      const { glAccount, costCenter } = coding({ account: piece.account ?? null });
      const pieceQty =
        qty === undefined || piece.share === undefined
          ? qty
          : new MoneyDecimal(qty).times(piece.share).toDecimalPlaces(6).toFixed();
      lines.push({
        lineNumber: p === 0 ? integer(line, 'line-num') : ++next,
        ...(description === undefined ? {} : { description }),
        ...(pieceQty === undefined ? {} : { quantity: pieceQty }),
        ...(price === undefined || price === null ? {} : { unitPrice: parseMoney(price, currency, `${path}.price`) }),
        netAmount: piece.net,
        ...(lineLevel ? { taxAmount: piece.tax } : {}),
        ...(glAccount === undefined ? {} : { glAccount }),
        ...(costCenter === undefined ? {} : { costCenter }),
        ...(poNumber === undefined ? {} : { purchaseOrderId: poNumber }),
        ...(poNumber === undefined || orderLine === undefined ? {} : { purchaseOrderLine: orderLine }),
      });
    });
  });
  objects(record, 'invoice-charges').forEach((charge, index) => {
    const path = `invoice-charges[${index}]`;
    const total = parseMoney(ownValue(charge, 'total'), currency, `${path}.total`);
    const tax = lineLevel ? taxOf(charge, currency, path) : zero(currency);
    const description = optText(charge, 'description') ?? optText(charge, 'type') ?? 'Charge';
    for (const piece of pieces(charge, total, tax, path)) {
      net = add(net, piece.net);
      lineTax = add(lineTax, piece.tax);
      const { glAccount, costCenter } = coding({ account: piece.account ?? null });
      lines.push({
        lineNumber: ++next,
        description,
        netAmount: piece.net,
        ...(lineLevel ? { taxAmount: piece.tax } : {}),
        ...(glAccount === undefined ? {} : { glAccount }),
        ...(costCenter === undefined ? {} : { costCenter }),
      });
    }
  });
  const gross = parseMoney(ownValue(record, 'gross-total'), currency, 'gross-total');
  const term = optObject(record, 'payment-term');
  const supplier = asObject(ownValue(record, 'supplier'), 'supplier');
  const supplierName = optText(supplier, 'name');
  return {
    id,
    refs: { [system]: id },
    companyCode: companyCodeOf(rawLines, 'invoice-lines'),
    supplierId: text(supplier, 'id'),
    kind: gross.amount.startsWith('-') ? 'credit_note' : 'invoice',
    invoiceNumber: text(record, 'invoice-number'),
    invoiceDate: dateOf(text(record, 'invoice-date')),
    currency,
    netAmount: net,
    taxAmount: lineLevel ? lineTax : parseMoney(ownValue(record, 'tax-amount') ?? '0', currency, 'tax-amount'),
    grossAmount: gross,
    ...(purchaseOrder === undefined ? {} : { purchaseOrderId: purchaseOrder }),
    matchStatus: purchaseOrder === undefined ? 'not_required' : 'unmatched',
    ...(term === undefined || optText(term, 'days-for-net-payment') === undefined
      ? {}
      : { paymentTerms: { code: text(term, 'code'), netDays: Number(text(term, 'days-for-net-payment')) } }),
    ...(supplierName === undefined ? {} : { supplierName }),
    lines,
    approvals: approvalsOf(record),
    attachments: attachmentsOf(record),
  };
}

/** An invoice with its status, export flag, version and the supplier's ERP number. */
export function toProcurementInvoice(
  record: JsonObject,
  system: string,
  orderLineNumber?: (orderLineId: string) => number | undefined,
): ProcurementInvoice {
  return {
    invoice: toInvoice(record, system, orderLineNumber),
    status: text(record, 'status'),
    exported: flag(record, 'exported'),
    updatedAt: text(record, 'updated-at'),
    supplierErpNumber: optText(asObject(ownValue(record, 'supplier'), 'supplier'), 'number'),
  };
}
