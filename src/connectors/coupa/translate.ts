/**
 * Coupa's hyphenated JSON (parsed strictly: numbers stay exact text) to canonical suppliers, purchase
 * orders and receipts, and the readers the invoice translation (translate-invoice.ts) shares. The
 * company code is the account's first segment and the GL account and cost center its second and
 * third, as the simulated chart of accounts is set up; amounts go through money.ts only. A
 * supplier's bank accounts come from its supplier information's remit-to addresses (R39
 * SupplierInformationAddress: `iban-number`, `international-bank-account-number`,
 * `bank-account-number`, `bic`/`swift-code`, `bank-routing-number`/`bank-code`,
 * `name-on-bank-account`); R39's RemitToAddress has no bank fields.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import { add, parseMoney, zero } from '../../canonical/money.js';
import type { GoodsReceipt, PurchaseOrder, Supplier, TaxNumber } from '../../canonical/model/index.js';
import { JsonNumber, ownValue, type JsonObject, type JsonValue } from '../../canonical/strict-json.js';
import type { ProcurementSupplier } from '../ports/procurement-port.js';

const EU_VAT_PREFIXES = new Set(
  'AT BE BG CY CZ DE DK EE ES FI FR GB GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' '),
);
const IBAN = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/;

export function invalid(path: string, message: string): never {
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

export function optObject(record: JsonObject, key: string): JsonObject | undefined {
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

export function integer(record: JsonObject, key: string): number {
  const value = text(record, key);
  if (!/^\d{1,6}$/.test(value)) invalid(key, `is not a line number: ${value}`);
  return Number(value);
}

export function flag(record: JsonObject, key: string): boolean {
  return ownValue(record, key) === true;
}

/** The date part of a Coupa date or timestamp. */
export function dateOf(value: string): string {
  return value.slice(0, 10);
}

/** A quantity as non-negative decimal text ("3", "2.5"); the sign is reported apart. */
export function quantity(record: JsonObject, key: string): { value: string; negative: boolean } {
  const raw = text(record, key);
  const negative = raw.startsWith('-');
  const value = negative ? raw.slice(1) : raw;
  if (!/^[0-9]+(\.[0-9]+)?$/.test(value)) invalid(key, `is not a decimal quantity: ${raw}`);
  return { value, negative };
}

export function currencyOf(record: JsonObject): string {
  return text(asObject(ownValue(record, 'currency'), 'currency'), 'code');
}

/** Company code, GL account and cost center from an account's segments. */
export function coding(line: JsonObject): { companyCode?: string; glAccount?: string; costCenter?: string } {
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

export function companyCodeOf(lines: readonly JsonValue[], path: string): string {
  for (const line of lines) {
    const code = coding(asObject(line, path)).companyCode;
    if (code !== undefined) return code;
  }
  return invalid(path, 'carries no account with a company segment');
}

/**
 * Bank accounts from the active remit-to (`kind` RTA) addresses of the supplier's information
 * records: the IBAN from `iban-number` or `international-bank-account-number` (or an account number
 * that is one), else the account number with its routing or bank code.
 */
function bankAccountsOf(information: readonly JsonObject[], country: string, name: string): Supplier['bankAccounts'] {
  const addresses = information.flatMap((record) => {
    const list = ownValue(record, 'supplier-information-addresses');
    return (Array.isArray(list) ? list : []).map((entry) => asObject(entry, 'supplier-information-addresses'));
  });
  const out: Supplier['bankAccounts'][number][] = [];
  for (const address of addresses) {
    if (optText(address, 'kind') !== 'RTA' || ownValue(address, 'active') === false) continue;
    const given =
      optText(address, 'iban-number') ??
      optText(address, 'international-bank-account-number') ??
      optText(address, 'bank-account-number');
    if (given === undefined) continue;
    const compact = given.replace(/\s+/g, '');
    const iban = IBAN.test(compact);
    const bic = optText(address, 'bic') ?? optText(address, 'swift-code');
    const routing = optText(address, 'bank-routing-number') ?? optText(address, 'bank-code');
    out.push({
      ...(iban ? { iban: compact } : { accountNumber: given }),
      ...(bic === undefined ? {} : { bic }),
      ...(routing === undefined || iban ? {} : { bankCode: routing }),
      country:
        optText(optObject(address, 'bank-country'), 'code') ??
        optText(optObject(address, 'country'), 'code') ??
        country,
      holderName: optText(address, 'name-on-bank-account') ?? name,
      primary: out.length === 0,
    });
  }
  return out;
}

/** A supplier, with its bank accounts from its supplier information records (`supplier-id` = its id). */
export function toSupplier(
  record: JsonObject,
  system: string,
  information: readonly JsonObject[] = [],
): ProcurementSupplier {
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
  const bankAccounts = bankAccountsOf(information, country, name);
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
