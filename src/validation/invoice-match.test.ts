import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectCodedError } from '../../test/helpers/coded-errors.js';
import { matchInvoice, type InvoiceLineInput, type PoLineInput, type ReceiptInput } from './invoice-match.js';

const eur = (amount: string) => ({ amount, currency: 'EUR' });

/** PO 4500001234: 100 pallets of copy paper at 42.50, 10 toner cartridges at 89.90, installation service. */
const poLines: PoLineInput[] = [
  { id: '4500001234/10', quantity: '100', unitPrice: eur('42.50') },
  { id: '4500001234/20', quantity: '10', unitPrice: eur('89.90'), invoiced: '4' },
  { id: '4500001234/30', quantity: '1', unitPrice: eur('1200.00'), goodsReceiptRequired: false },
];
const receipts: ReceiptInput[] = [
  { poLineId: '4500001234/10', quantity: '60' },
  { poLineId: '4500001234/10', quantity: '40' },
  { poLineId: '4500001234/10', quantity: '5', reversal: true },
  { poLineId: '4500001234/20', quantity: '10' },
];
const tolerances = { pricePercent: '2', quantityPercent: '5' };

function line(
  lineNo: number,
  poLineId: string | undefined,
  quantity: string,
  unitPrice: string,
  amount: string,
): InvoiceLineInput {
  return { lineNo, poLineId, quantity, unitPrice: eur(unitPrice), amount: eur(amount) };
}

function codes(result: { issues: readonly { code: string }[] }): string[] {
  return result.issues.map((i) => i.code);
}

describe('matchInvoice', () => {
  it('matches an invoice that agrees with order and receipt', () => {
    const r = matchInvoice(
      [line(1, '4500001234/10', '95', '42.50', '4037.50'), line(2, '4500001234/30', '1', '1200.00', '1200.00')],
      poLines,
      receipts,
      tolerances,
      'three-way',
    );
    assert.deepEqual(r, {
      matched: true,
      lines: [
        { lineNo: 1, poLineId: '4500001234/10', status: 'matched', issues: [] },
        { lineNo: 2, poLineId: '4500001234/30', status: 'matched', issues: [] },
      ],
      issues: [],
    });
  });

  it('accepts a price exactly at the tolerance and refuses one cent above it', () => {
    // 42.50 × 1.02 = 43.35
    assert.equal(
      matchInvoice([line(1, '4500001234/10', '10', '43.35', '433.50')], poLines, [], tolerances, 'two-way').matched,
      true,
    );
    const over = matchInvoice([line(1, '4500001234/10', '10', '43.36', '433.60')], poLines, [], tolerances, 'two-way');
    assert.deepEqual(codes(over), ['price_over_tolerance']);
    assert.equal(over.issues[0]?.path, 'lines/0/unitPrice');
    assert.match(
      over.issues[0]?.message ?? '',
      /unit price 43\.36 EUR is 2\.02 % above the PO price 42\.50 EUR \(tolerance 2 %\)/,
    );
    assert.equal(
      matchInvoice([line(1, '4500001234/10', '10', '40.00', '400.00')], poLines, [], tolerances, 'two-way').matched,
      true,
      'a lower price passes',
    );
  });

  it('accepts a quantity within the tolerance and refuses one just outside it', () => {
    assert.equal(
      matchInvoice([line(1, '4500001234/10', '105', '42.50', '4462.50')], poLines, [], tolerances, 'two-way').matched,
      true,
    );
    const over = matchInvoice(
      [line(1, '4500001234/10', '105.5', '42.50', '4483.75')],
      poLines,
      [],
      tolerances,
      'two-way',
    );
    assert.deepEqual(codes(over), ['quantity_over_ordered']);
    assert.match(
      over.issues[0]?.message ?? '',
      /invoiced quantity 105\.5 exceeds the 100 ordered on PO line 4500001234\/10 \(tolerance 5 %\)/,
    );
  });

  it('counts quantity invoiced earlier', () => {
    const r = matchInvoice(
      [line(1, '4500001234/20', '7', '89.90', '629.30')],
      poLines,
      receipts,
      tolerances,
      'two-way',
    );
    assert.deepEqual(codes(r), ['quantity_over_ordered']);
    assert.match(r.issues[0]?.message ?? '', /11 \(including 4 invoiced earlier\)/);
  });

  it('three-way: refuses more than received (net of returns), two-way does not look', () => {
    const lines = [line(1, '4500001234/10', '100', '42.50', '4250.00')];
    const three = matchInvoice(lines, poLines, receipts, tolerances, 'three-way');
    assert.deepEqual(codes(three), ['quantity_over_received']);
    assert.match(three.issues[0]?.message ?? '', /only 95 has been received/);
    assert.equal(matchInvoice(lines, poLines, receipts, tolerances, 'two-way').matched, true);
    assert.equal(
      matchInvoice(
        lines,
        poLines,
        [],
        { ...tolerances, quantityPercent: '5' },
        'three-way',
      ).issues[0]?.message.includes('nothing has been received yet'),
      true,
    );
  });

  it('three-way: uses the PO line received quantity when no receipts are given', () => {
    const po = [{ ...poLines[0], received: '50' } as PoLineInput];
    assert.deepEqual(
      codes(matchInvoice([line(1, '4500001234/10', '60', '42.50', '2550.00')], po, [], tolerances, 'three-way')),
      ['quantity_over_received'],
    );
  });

  it('adds up several invoice lines on one PO line and flags each', () => {
    const r = matchInvoice(
      [line(1, '4500001234/10', '60', '42.50', '2550.00'), line(2, '4500001234/10', '50', '42.50', '2125.00')],
      poLines,
      [],
      tolerances,
      'two-way',
    );
    assert.deepEqual(
      r.lines.map((l) => [l.status, l.issues.map((x) => x.code)]),
      [
        ['mismatch', ['quantity_over_ordered']],
        ['mismatch', ['quantity_over_ordered']],
      ],
    );
  });

  it('lets a credit line reduce the invoiced quantity, and refuses a credit beyond what was invoiced', () => {
    const net = matchInvoice(
      [line(1, '4500001234/10', '110', '42.50', '4675.00'), line(2, '4500001234/10', '-10', '42.50', '-425.00')],
      poLines,
      [],
      tolerances,
      'two-way',
    );
    assert.equal(net.matched, true);
    const credit = matchInvoice(
      [line(1, '4500001234/20', '-5', '89.90', '-449.50')],
      poLines,
      [],
      tolerances,
      'two-way',
    );
    assert.deepEqual(codes(credit), ['credit_exceeds_invoiced']);
    assert.equal(
      matchInvoice([line(1, '4500001234/20', '-4', '89.90', '-359.60')], poLines, [], tolerances, 'two-way').matched,
      true,
    );
  });

  it('flags an amount that is not quantity × price beyond one cent, or beyond the amount tolerance', () => {
    assert.equal(
      matchInvoice([line(1, '4500001234/10', '3', '42.50', '127.51')], poLines, [], tolerances, 'two-way').matched,
      true,
    );
    const r = matchInvoice([line(1, '4500001234/10', '3', '42.50', '127.60')], poLines, [], tolerances, 'two-way');
    assert.deepEqual(codes(r), ['amount_mismatch']);
    assert.match(
      r.issues[0]?.message ?? '',
      /amount 127\.60 EUR is not quantity 3 × unit price 42\.50 EUR = 127\.50 EUR/,
    );
    assert.equal(
      matchInvoice(
        [line(1, '4500001234/10', '3', '42.50', '127.60')],
        poLines,
        [],
        { ...tolerances, amount: '0.10' },
        'two-way',
      ).matched,
      true,
    );
    assert.equal(
      matchInvoice([line(1, '4500001234/10', '2.5', '42.50', '106.25')], poLines, [], tolerances, 'two-way').matched,
      true,
    );
  });

  it('reports lines without a PO line and currency mismatches', () => {
    const r = matchInvoice(
      [
        line(1, undefined, '1', '15.00', '15.00'),
        line(2, '4500009999/10', '1', '15.00', '15.00'),
        {
          lineNo: 3,
          poLineId: '4500001234/10',
          quantity: '1',
          unitPrice: { amount: '42.50', currency: 'USD' },
          amount: { amount: '42.50', currency: 'USD' },
        },
      ],
      poLines,
      [],
      tolerances,
      'two-way',
    );
    assert.equal(r.matched, false);
    assert.deepEqual(
      r.lines.map((l) => [l.status, l.issues.map((x) => x.code)]),
      [
        ['unmatched', ['no_po_line']],
        ['unmatched', ['no_po_line']],
        ['mismatch', ['currency_mismatch']],
      ],
    );
  });

  it('reports an empty invoice, duplicate line numbers and malformed quantities', () => {
    assert.deepEqual(codes(matchInvoice([], poLines, [], tolerances, 'two-way')), ['no_lines']);
    const r = matchInvoice(
      [line(1, '4500001234/10', '1', '42.50', '42.50'), line(1, '4500001234/10', '1,5', '42.50', '63.75')],
      poLines,
      [],
      tolerances,
      'two-way',
    );
    assert.deepEqual(codes(r), ['line_number_duplicate', 'quantity_invalid']);
  });

  it('refuses malformed tolerances and money', () => {
    expectCodedError('LL_ERR_CONFIG_INVALID', () =>
      matchInvoice([], poLines, [], { pricePercent: '-1', quantityPercent: '0' }, 'two-way'),
    );
    expectCodedError('LL_ERR_MONEY_PRECISION', () =>
      matchInvoice([line(1, '4500001234/10', '1', '42.505', '42.50')], poLines, [], tolerances, 'two-way'),
    );
  });
});
