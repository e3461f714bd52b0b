/**
 * One seeded invoice in the shape of R39's InvoiceHeader (R39_Invoicing_API.json): one line against
 * its order line, taxed on the header (`tax-amount`), except every tenth from the second on, which
 * is taxed per line (`line-level-taxation: true`, the line's `tax-amount` and `tax-lines[]`, no
 * header `tax-amount`); every tenth from the fourth on, which carries a shipping charge
 * (`invoice-charges[]` of type InvoiceShippingCharge with its account and tax, and `shipping-amount`);
 * and every tenth from the sixth on, whose line is split over two accounts (`account-allocations[]`,
 * 60 % and 40 %). `gross-total` is always lines + charges + tax. Amounts in minor units (BigInt).
 */
import { accountRef, decimal, isoAt, type CoupaRecord } from './records.js';

export interface SeedInvoice {
  readonly id: () => number;
  readonly index: number;
  readonly supplier: CoupaRecord;
  readonly currency: string;
  readonly status: string;
  readonly created: number;
  readonly description: string;
  readonly quantity: bigint;
  readonly priceMinor: bigint;
  readonly taxRatePercent: bigint;
  readonly account: CoupaRecord;
  readonly splitAccount: CoupaRecord;
  readonly freightAccount: CoupaRecord;
  readonly orderLineId: number;
  readonly poNumber: string;
}

const taxOf = (minor: bigint, ratePercent: bigint): bigint => (minor * ratePercent) / 100n;

export function seedInvoice(s: SeedInvoice): CoupaRecord {
  const lineTotal = s.quantity * s.priceMinor;
  const lineLevel = s.index % 10 === 1;
  const charged = s.index % 10 === 3;
  const split = s.index % 10 === 5;
  const lineTax = taxOf(lineTotal, s.taxRatePercent);
  const chargeMinor = charged ? 1500n : 0n;
  const chargeTax = taxOf(chargeMinor, s.taxRatePercent);
  const rate = s.taxRatePercent.toString();
  const taxLine = (amount: bigint, base: bigint): Record<string, unknown> => ({
    amount: decimal(amount),
    rate,
    base: decimal(base),
    description: `VAT ${rate} %`,
  });
  const firstPart = (lineTotal * 60n) / 100n;
  const line: Record<string, unknown> = {
    id: s.id(),
    'line-num': 1,
    description: s.description,
    quantity: s.quantity.toString(),
    price: decimal(s.priceMinor),
    total: decimal(lineTotal),
    uom: { code: 'EA' },
    account: accountRef(s.account),
    'order-line-id': s.orderLineId,
    'po-number': s.poNumber,
    ...(lineLevel
      ? { 'tax-amount': decimal(lineTax), 'tax-rate': rate, 'tax-lines': [taxLine(lineTax, lineTotal)] }
      : {}),
    ...(split
      ? {
          'account-allocations': [
            { id: s.id(), account: accountRef(s.account), pct: '60.0', amount: decimal(firstPart) },
            { id: s.id(), account: accountRef(s.splitAccount), pct: '40.0', amount: decimal(lineTotal - firstPart) },
          ],
        }
      : {}),
  };
  const charges = charged
    ? [
        {
          id: s.id(),
          'line-num': 1,
          type: 'InvoiceShippingCharge',
          description: 'Freight',
          total: decimal(chargeMinor),
          account: accountRef(s.freightAccount),
          'tax-lines': [taxLine(chargeTax, chargeMinor)],
        },
      ]
    : [];
  const tax = lineTax + chargeTax;
  return {
    id: s.id(),
    'invoice-number': `INV-${(90000 + s.index * 13).toString()}`,
    'invoice-date': isoAt(s.created + 2 * 86_400_000).slice(0, 10),
    status: s.status,
    exported: s.index % 12 === 0,
    paid: false,
    'payment-date': null,
    supplier: { id: s.supplier.id, name: s.supplier['name'], number: s.supplier['number'] },
    currency: { code: s.currency },
    'payment-term': s.supplier['payment-term'],
    'line-level-taxation': lineLevel,
    'invoice-lines': [line],
    'invoice-charges': charges,
    ...(charged ? { 'shipping-amount': decimal(chargeMinor) } : {}),
    'tax-amount': lineLevel ? null : decimal(tax),
    'gross-total': decimal(lineTotal + chargeMinor + tax),
    'created-at': isoAt(s.created + 2 * 86_400_000),
    'updated-at': isoAt(s.created + 3 * 86_400_000),
  };
}
