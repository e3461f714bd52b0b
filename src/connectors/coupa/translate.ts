/**
 * Coupa's hyphenated JSON (parsed strictly: numbers stay exact text) to canonical objects and back.
 * The company code is the account's first segment and the GL account and cost center its second
 * and third, as the simulated chart of accounts is set up; amounts go through money.ts only.
 * Invoices carry their approvals (`approvals[]`: status, approval-date, approver{login, fullname})
 * and links to the scanned image (`image-scan-url`) and attachments (`attachments[].url`) when the
 * tenant sends them.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import { add, parseMoney, zero, type Money } from '../../canonical/money.js';
import type {
  ApprovalEvidence,
  AttachmentRef,
  GoodsReceipt,
  PurchaseOrder,
  Supplier,
  SupplierInvoice,
  SupplierInvoiceLine,
  TaxNumber,
} from '../../canonical/model/index.js';
import { JsonNumber, ownValue, type JsonObject, type JsonValue } from '../../canonical/strict-json.js';
import type { ProcurementInvoice, ProcurementSupplier } from '../ports/procurement-port.js';

const EU_VAT_PREFIXES = new Set([
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GB',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
]);
const IBAN = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/;

function invalid(path: string, message: string): never {
  throw new LedgerlinkError('LL_ERR_VALIDATION', `Coupa record: ${path} ${message}`, { details: [{ path, message }] });
}

export function asObject(value: JsonValue | undefined, path: string): JsonObject {
  if (
    value === null ||
    value === undefined ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    value instanceof JsonNumber
  ) {
    return invalid(path, 'is not an object');
  }
  return value;
}

export function asArray(value: JsonValue | undefined, path: string): JsonValue[] {
  if (!Array.isArray(value)) return invalid(path, 'is not a list');
  return value;
}

function optObject(record: JsonObject, key: string): JsonObject | undefined {
  const value = ownValue(record, key);
  return value === null || value === undefined ? undefined : asObject(value, key);
}

/** Text of a string or number field; undefined when absent or null. */
export function optText(record: JsonObject | undefined, key: string): string | undefined {
  const value = record === undefined ? undefined : ownValue(record, key);
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === 'boolean') return String(value);
  return invalid(key, 'is not text');
}

export function text(record: JsonObject, key: string): string {
  return optText(record, key) ?? invalid(key, 'is missing');
}

function integer(record: JsonObject, key: string): number {
  const value = text(record, key);
  if (!/^\d{1,6}$/.test(value)) invalid(key, `is not a line number: ${value}`);
  return Number(value);
}

function flag(record: JsonObject, key: string): boolean {
  return ownValue(record, key) === true;
}

/** The date part of a Coupa date or timestamp. */
function dateOf(value: string): string {
  return value.slice(0, 10);
}

/** A quantity as non-negative decimal text ("3", "2.5"); the sign is reported apart. */
function quantity(record: JsonObject, key: string): { value: string; negative: boolean } {
  const raw = text(record, key);
  const negative = raw.startsWith('-');
  const value = negative ? raw.slice(1) : raw;
  if (!/^[0-9]+(\.[0-9]+)?$/.test(value)) invalid(key, `is not a decimal quantity: ${raw}`);
  return { value, negative };
}

function currencyOf(record: JsonObject): string {
  return text(asObject(ownValue(record, 'currency'), 'currency'), 'code');
}

/** Company code, GL account and cost center from an account's segments. */
function coding(line: JsonObject): { companyCode?: string; glAccount?: string; costCenter?: string } {
  const account = optObject(line, 'account');
  const [companyCode, glAccount, costCenter] = [
    optText(account, 'segment-1'),
    optText(account, 'segment-2'),
    optText(account, 'segment-3'),
  ];
  return {
    ...(companyCode === undefined ? {} : { companyCode }),
    ...(glAccount === undefined ? {} : { glAccount }),
    ...(costCenter === undefined ? {} : { costCenter }),
  };
}

function companyCodeOf(lines: readonly JsonValue[], path: string): string {
  for (const line of lines) {
    const code = coding(asObject(line, path)).companyCode;
    if (code !== undefined) return code;
  }
  return invalid(path, 'carries no account with a company segment');
}

export function toSupplier(record: JsonObject, system: string): ProcurementSupplier {
  const id = text(record, 'id');
  const status = text(record, 'status');
  const erpVendorNumber = optText(record, 'number');
  const address = asObject(ownValue(record, 'primary-address'), 'primary-address');
  const country = text(asObject(ownValue(address, 'country'), 'primary-address.country'), 'code');
  const name = text(record, 'name');
  const taxId = optText(record, 'tax-id');
  const taxNumbers: TaxNumber[] = [];
  if (taxId !== undefined) {
    const prefix = taxId.slice(0, 2);
    const vat = EU_VAT_PREFIXES.has(prefix) && /^[A-Z]{2}/.test(taxId);
    taxNumbers.push({
      kind: vat ? 'vat' : country === 'US' ? 'tin' : 'other',
      country: vat ? prefix : country,
      value: taxId,
    });
  }
  const remitTo = ownValue(record, 'remit-to-addresses');
  const bankAccounts: Supplier['bankAccounts'] = (Array.isArray(remitTo) ? remitTo : []).flatMap((entry, index) => {
    const remit = asObject(entry, 'remit-to-addresses');
    const number = optText(remit, 'bank-account-number');
    if (number === undefined || ownValue(remit, 'active') === false) return [];
    const bankCountry = optText(optObject(remit, 'country'), 'code') ?? country;
    const bic = optText(remit, 'bic');
    const routing = optText(remit, 'bank-routing-number') ?? optText(remit, 'bank-code');
    const compact = number.replace(/\s+/g, '');
    return [
      {
        ...(IBAN.test(compact) ? { iban: compact } : { accountNumber: number }),
        ...(bic === undefined ? {} : { bic }),
        ...(routing === undefined || IBAN.test(compact) ? {} : { bankCode: routing }),
        country: bankCountry,
        holderName: optText(remit, 'name') ?? name,
        primary: index === 0,
      },
    ];
  });
  const term = optObject(record, 'payment-term');
  const netDays = optText(term, 'days-for-net-payment');
  const discountDays = optText(term, 'days-for-discount-payment');
  const discountPercent = optText(term, 'discount-rate');
  const street = optText(address, 'street1');
  const street2 = optText(address, 'street2');
  const postalCode = optText(address, 'postal-code');
  const region = optText(address, 'state');
  const displayName = optText(record, 'display-name');
  const supplier: Supplier = {
    id,
    refs: { [system]: id },
    status:
      status === 'active'
        ? erpVendorNumber === undefined
          ? 'approved'
          : 'active'
        : status === 'inactive'
          ? 'inactive'
          : 'requested',
    name,
    alternateNames: displayName !== undefined && displayName !== name ? [displayName] : [],
    companyCodes: [],
    taxNumbers,
    bankAccounts,
    address: {
      ...(street === undefined ? {} : { street }),
      ...(street2 === undefined ? {} : { street2 }),
      ...(postalCode === undefined ? {} : { postalCode }),
      city: text(address, 'city'),
      ...(region === undefined ? {} : { region }),
      country,
    },
    ...(term === undefined || netDays === undefined
      ? {}
      : {
          paymentTerms: {
            code: text(term, 'code'),
            netDays: Number(netDays),
            ...(discountDays === undefined ? {} : { discountDays: Number(discountDays) }),
            ...(discountPercent === undefined ? {} : { discountPercent }),
          },
        }),
    paymentBlock: { blocked: false },
  };
  return { supplier, erpVendorNumber, updatedAt: text(record, 'updated-at') };
}

/** Approvals given on a document (`approvals[]` with status approved), oldest first. */
function approvalsOf(record: JsonObject): ApprovalEvidence[] {
  const raw = ownValue(record, 'approvals');
  const out = (Array.isArray(raw) ? raw : []).flatMap((entry, index): ApprovalEvidence[] => {
    const approval = asObject(entry, `approvals[${index}]`);
    const at = optText(approval, 'approval-date') ?? optText(approval, 'approved-at');
    if (optText(approval, 'status') !== 'approved' || at === undefined) return [];
    const approver = optObject(approval, 'approver');
    const login = optText(approver, 'login') ?? optText(approver, 'id') ?? 'unknown';
    const position = optText(approval, 'position');
    const note = optText(approval, 'note');
    return [
      {
        approverId: login,
        approverName: optText(approver, 'fullname') ?? login,
        approvedAt: at,
        step: position === undefined ? 'approval' : `approval ${position}`,
        policy: optText(approval, 'type') ?? 'approval chain',
        ...(note === undefined ? {} : { comment: note }),
      },
    ];
  });
  return out.sort((a, b) => Date.parse(a.approvedAt) - Date.parse(b.approvedAt));
}

/** The scanned invoice image and URL or file attachments, as links. */
function attachmentsOf(record: JsonObject): AttachmentRef[] {
  const image = optText(record, 'image-scan-url');
  const raw = ownValue(record, 'attachments');
  const others = (Array.isArray(raw) ? raw : []).flatMap((entry, index): AttachmentRef[] => {
    const attachment = asObject(entry, `attachments[${index}]`);
    const uri = optText(attachment, 'url') ?? optText(attachment, 'file-url');
    const name = optText(attachment, 'file-name');
    return uri === undefined ? [] : [{ kind: 'other', uri, ...(name === undefined ? {} : { name }) }];
  });
  return [...(image === undefined ? [] : [{ kind: 'invoice_image' as const, uri: image }]), ...others];
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
  const rawLines = asArray(ownValue(record, 'invoice-lines'), 'invoice-lines');
  let net: Money = zero(currency);
  let purchaseOrder: string | undefined;
  const lines = rawLines.map((entry, index): SupplierInvoiceLine => {
    const line = asObject(entry, `invoice-lines[${index}]`);
    const netAmount = parseMoney(ownValue(line, 'total'), currency, `invoice-lines[${index}].total`);
    net = add(net, netAmount);
    const price = ownValue(line, 'price');
    const qty = optText(line, 'quantity') === undefined ? undefined : quantity(line, 'quantity').value;
    const poNumber = optText(line, 'po-number');
    purchaseOrder ??= poNumber;
    const { glAccount, costCenter } = coding(line);
    const description = optText(line, 'description');
    const orderLineId = optText(line, 'order-line-id');
    const orderLine =
      optText(line, 'order-line-num') === undefined
        ? orderLineId === undefined
          ? undefined
          : orderLineNumber(orderLineId)
        : integer(line, 'order-line-num');
    return {
      lineNumber: integer(line, 'line-num'),
      ...(description === undefined ? {} : { description }),
      ...(qty === undefined ? {} : { quantity: qty }),
      ...(price === undefined || price === null
        ? {}
        : { unitPrice: parseMoney(price, currency, `invoice-lines[${index}].price`) }),
      netAmount,
      ...(glAccount === undefined ? {} : { glAccount }),
      ...(costCenter === undefined ? {} : { costCenter }),
      ...(poNumber === undefined ? {} : { purchaseOrderId: poNumber }),
      ...(poNumber === undefined || orderLine === undefined ? {} : { purchaseOrderLine: orderLine }),
    };
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
    taxAmount: parseMoney(ownValue(record, 'tax-amount') ?? '0', currency, 'tax-amount'),
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

const PO_STATUSES: Readonly<Record<string, PurchaseOrder['status']>> = {
  issued: 'issued',
  closed: 'closed',
  cancelled: 'cancelled',
  soft_closed: 'closed',
};

export function toPurchaseOrder(record: JsonObject, system: string): PurchaseOrder {
  const id = text(record, 'id');
  const currency = currencyOf(record);
  const rawLines = asArray(ownValue(record, 'order-lines'), 'order-lines');
  let total = zero(currency);
  const lines = rawLines.map((entry, index) => {
    const line = asObject(entry, `order-lines[${index}]`);
    const netAmount = parseMoney(ownValue(line, 'total'), currency, `order-lines[${index}].total`);
    total = add(total, netAmount);
    const { glAccount, costCenter } = coding(line);
    return {
      lineNumber: integer(line, 'line-num'),
      description: optText(line, 'description') ?? '',
      quantity: quantity(line, 'quantity').value,
      unitOfMeasure: optText(optObject(line, 'uom'), 'code') ?? 'EA',
      unitPrice: parseMoney(ownValue(line, 'price'), currency, `order-lines[${index}].price`),
      netAmount,
      ...(glAccount === undefined ? {} : { glAccount }),
      ...(costCenter === undefined ? {} : { costCenter }),
      goodsReceiptRequired: flag(line, 'receipt-required'),
    };
  });
  return {
    id,
    refs: { [system]: id },
    number: text(record, 'po-number'),
    companyCode: companyCodeOf(rawLines, 'order-lines'),
    supplierId: text(asObject(ownValue(record, 'supplier'), 'supplier'), 'id'),
    status: PO_STATUSES[text(record, 'status')] ?? 'draft',
    orderDate: dateOf(text(record, 'created-at')),
    currency,
    lines,
    total,
    approvals: [],
    attachments: [],
  };
}

/** A receiving transaction as a one-line goods receipt; a negative quantity is a reversal. */
export function toReceipt(record: JsonObject, companyCode: string, system: string): GoodsReceipt {
  const id = text(record, 'id');
  const orderLine = asObject(ownValue(record, 'order-line'), 'order-line');
  const { value, negative } = quantity(record, 'quantity');
  const at = optText(record, 'transaction-date') ?? text(record, 'created-at');
  return {
    id,
    refs: { [system]: id },
    companyCode,
    purchaseOrderId: text(orderLine, 'order-header-id'),
    receivedAt: at,
    postingDate: dateOf(at),
    reversal: negative,
    lines: [
      {
        lineNumber: 1,
        purchaseOrderLine: integer(orderLine, 'line-num'),
        quantity: value,
        unitOfMeasure: optText(optObject(record, 'uom'), 'code') ?? 'EA',
      },
    ],
  };
}
