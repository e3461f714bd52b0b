/**
 * Two- and three-way match of a supplier invoice against its purchase order lines (and, three-way,
 * the goods received). All arithmetic is decimal (money.ts); nothing passes through a float.
 *
 * Per invoice line:
 * - no_po_line: the line names no PO line, or one that is not on the order.
 * - currency_mismatch: the line's price or amount is in another currency than the PO line (no other
 *   check is made on that line then).
 * - amount_mismatch: amount ≠ quantity × unit price beyond rounding — one minor unit, or
 *   `tolerances.amount` (in the invoice currency) when given.
 * - price_over_tolerance: unit price above the PO price by more than `pricePercent`. A lower price
 *   is the buyer's gain and passes.
 * Per PO line, over all invoice lines that name it plus the quantity invoiced earlier (`invoiced`):
 * - quantity_over_ordered: above ordered × (1 + quantityPercent / 100);
 * - quantity_over_received (three-way, unless the PO line says `goodsReceiptRequired: false`):
 *   above received × (1 + quantityPercent / 100). Received is the sum of `receipts` for the line
 *   (reversals subtract) or, when none are given, the PO line's `received`;
 * - credit_exceeds_invoiced: credits bring the invoiced quantity below zero.
 * Credit lines carry a negative quantity and a negative amount with a positive unit price.
 * Malformed Money (not a decimal string, unknown currency) throws LL_ERR_MONEY_*; malformed
 * tolerances throw LL_ERR_CONFIG_INVALID; a malformed quantity is the issue quantity_invalid.
 */
import type { Decimal } from 'decimal.js';
import { LedgerlinkError } from '../canonical/errors.js';
import { minorUnits, MoneyDecimal, multiply, toDecimal, type Money } from '../canonical/money.js';
import { issue, type ValidationIssue } from './validation-issue.js';

export interface InvoiceLineInput {
  readonly lineNo: number;
  readonly poLineId?: string | undefined;
  readonly quantity: string;
  readonly unitPrice: Money;
  readonly amount: Money;
}

export interface PoLineInput {
  readonly id: string;
  readonly quantity: string;
  readonly unitPrice: Money;
  /** Quantity received so far, used when no receipts are passed for the line. */
  readonly received?: string | undefined;
  /** Quantity already invoiced on earlier invoices. */
  readonly invoiced?: string | undefined;
  /** False: the line is matched two-way even in a three-way match (services without receipt). */
  readonly goodsReceiptRequired?: boolean | undefined;
}

export interface ReceiptInput {
  readonly poLineId: string;
  readonly quantity: string;
  /** A return to the supplier: the quantity is subtracted. */
  readonly reversal?: boolean | undefined;
}

export interface MatchTolerances {
  readonly pricePercent: string;
  readonly quantityPercent: string;
  readonly amount?: string | undefined;
}

export type MatchMode = 'two-way' | 'three-way';

export interface InvoiceLineMatch {
  readonly lineNo: number;
  readonly poLineId?: string;
  readonly status: 'matched' | 'mismatch' | 'unmatched';
  readonly issues: readonly ValidationIssue[];
}

export interface InvoiceMatchResult {
  readonly matched: boolean;
  readonly lines: readonly InvoiceLineMatch[];
  /** Every issue of every line, plus invoice-level ones (no_lines, line_number_duplicate). */
  readonly issues: readonly ValidationIssue[];
}

const DECIMAL = /^-?[0-9]{1,22}(\.[0-9]{1,18})?$/;
const PERCENT = /^[0-9]{1,6}(\.[0-9]{1,6})?$/;

function tolerance(value: string | undefined, name: string, pattern: RegExp): Decimal | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !pattern.test(value)) {
    const message = `Match tolerance ${name} must be a non-negative decimal string, got ${JSON.stringify(value)}`;
    throw new LedgerlinkError('LL_ERR_CONFIG_INVALID', message, { details: [{ path: `tolerances/${name}`, message }] });
  }
  return new MoneyDecimal(value);
}

function quantity(value: string | undefined): Decimal | undefined {
  return typeof value === 'string' && DECIMAL.test(value) ? new MoneyDecimal(value) : undefined;
}

function show(d: Decimal): string {
  return d.toFixed();
}

function money(d: Decimal, currency: string): string {
  return `${d.toFixed(minorUnits(currency))} ${currency}`;
}

interface PoLineState {
  readonly po: PoLineInput;
  readonly ordered: Decimal;
  readonly earlier: Decimal;
  readonly received: Decimal;
  invoiced: Decimal;
  readonly lineIndexes: number[];
}

function receivedByLine(receipts: readonly ReceiptInput[]): Map<string, Decimal> {
  const received = new Map<string, Decimal>();
  for (const r of receipts) {
    const q = quantity(r.quantity);
    if (q === undefined) continue;
    received.set(
      r.poLineId,
      (received.get(r.poLineId) ?? new MoneyDecimal(0)).plus(r.reversal === true ? q.negated() : q),
    );
  }
  return received;
}

function checkLine(
  line: InvoiceLineInput,
  i: number,
  po: PoLineInput | undefined,
  qty: Decimal | undefined,
  tol: { price: Decimal; amount: Decimal | undefined },
): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const at = `lines/${i}`;
  const label = `Line ${line.lineNo}`;
  if (qty === undefined)
    out.push(
      issue(
        'quantity_invalid',
        `${at}/quantity`,
        `${label}: quantity ${JSON.stringify(line.quantity)} is not a decimal number; correct the invoice line`,
      ),
    );
  if (po === undefined) {
    const why =
      line.poLineId === undefined
        ? 'names no purchase order line'
        : `names PO line ${line.poLineId}, which is not on the order`;
    out.push(
      issue(
        'no_po_line',
        `${at}/poLineId`,
        `${label} ${why}; ask the buyer which PO line it belongs to, or post it as a non-PO invoice`,
      ),
    );
  }
  const currency = line.unitPrice.currency;
  if (line.amount.currency !== currency || (po !== undefined && po.unitPrice.currency !== currency)) {
    const poCurrency = po === undefined ? '' : `, the PO line is in ${po.unitPrice.currency}`;
    out.push(
      issue(
        'currency_mismatch',
        `${at}/unitPrice`,
        `${label}: price in ${currency}, amount in ${line.amount.currency}${poCurrency}; the invoice must be in the order currency — ask the supplier to correct it`,
      ),
    );
    return out;
  }
  if (qty !== undefined) {
    const expected = toDecimal(multiply(line.unitPrice, qty.toFixed()));
    const diff = toDecimal(line.amount).minus(expected).abs();
    const allowed = tol.amount ?? new MoneyDecimal(1).dividedBy(new MoneyDecimal(10).pow(minorUnits(currency)));
    if (diff.greaterThan(allowed)) {
      out.push(
        issue(
          'amount_mismatch',
          `${at}/amount`,
          `${label}: amount ${money(toDecimal(line.amount), currency)} is not quantity ${show(qty)} × unit price ${money(toDecimal(line.unitPrice), currency)} = ${money(expected, currency)}; ask the supplier to correct the line`,
        ),
      );
    }
  }
  if (po !== undefined) {
    const poPrice = toDecimal(po.unitPrice);
    const price = toDecimal(line.unitPrice);
    const limit = poPrice.times(tol.price.plus(100)).dividedBy(100);
    if (price.greaterThan(limit)) {
      const over = poPrice.isZero()
        ? 'above the PO price of zero'
        : `${price.minus(poPrice).times(100).dividedBy(poPrice).toFixed(2)} % above the PO price ${money(poPrice, currency)}`;
      out.push(
        issue(
          'price_over_tolerance',
          `${at}/unitPrice`,
          `${label}: unit price ${money(price, currency)} is ${over} (tolerance ${show(tol.price)} %); ask the supplier for a credit note or the buyer to change the PO price`,
        ),
      );
    }
  }
  return out;
}

/** Matches invoice lines to PO lines (and receipts, three-way). Deterministic; lines keep their order. */
export function matchInvoice(
  lines: readonly InvoiceLineInput[],
  poLines: readonly PoLineInput[],
  receipts: readonly ReceiptInput[],
  tolerances: MatchTolerances,
  mode: MatchMode,
): InvoiceMatchResult {
  const tol = {
    price: tolerance(tolerances.pricePercent, 'pricePercent', PERCENT) ?? new MoneyDecimal(0),
    quantity: tolerance(tolerances.quantityPercent, 'quantityPercent', PERCENT) ?? new MoneyDecimal(0),
    amount: tolerance(tolerances.amount, 'amount', DECIMAL),
  };
  const header: ValidationIssue[] = [];
  if (lines.length === 0)
    header.push(issue('no_lines', 'lines', 'The invoice has no lines; ask the supplier for the complete invoice'));
  const seenLineNos = new Set<number>();
  for (const [i, line] of lines.entries()) {
    if (seenLineNos.has(line.lineNo))
      header.push(
        issue(
          'line_number_duplicate',
          `lines/${i}/lineNo`,
          `Line number ${line.lineNo} appears more than once; each invoice line needs its own number`,
        ),
      );
    seenLineNos.add(line.lineNo);
  }

  const received = receivedByLine(receipts);
  const states = new Map<string, PoLineState>();
  for (const po of poLines) {
    const earlier = quantity(po.invoiced ?? '0') ?? new MoneyDecimal(0);
    states.set(po.id, {
      po,
      ordered: quantity(po.quantity) ?? new MoneyDecimal(0),
      earlier,
      received: received.get(po.id) ?? quantity(po.received ?? '0') ?? new MoneyDecimal(0),
      invoiced: earlier,
      lineIndexes: [],
    });
  }

  const perLine: ValidationIssue[][] = lines.map((line, i) => {
    const state = line.poLineId === undefined ? undefined : states.get(line.poLineId);
    const qty = quantity(line.quantity);
    const found = checkLine(line, i, state?.po, qty, tol);
    if (state !== undefined && qty !== undefined) {
      state.invoiced = state.invoiced.plus(qty);
      state.lineIndexes.push(i);
    }
    return found;
  });

  for (const state of states.values()) {
    if (state.lineIndexes.length === 0) continue;
    const total = state.invoiced;
    const factor = tol.quantity.plus(100).dividedBy(100);
    const earlier = state.earlier.isZero() ? '' : ` (including ${show(state.earlier)} invoiced earlier)`;
    const ref = `PO line ${state.po.id}`;
    const flag = (code: string, message: (lineNo: number) => string, credits: boolean): void => {
      for (const i of state.lineIndexes) {
        const line = lines[i];
        const q = line === undefined ? undefined : quantity(line.quantity);
        if (line === undefined || q === undefined || q.isNegative() !== credits) continue;
        perLine[i]?.push(issue(code, `lines/${i}/quantity`, message(line.lineNo)));
      }
    };
    if (total.greaterThan(state.ordered.times(factor))) {
      flag(
        'quantity_over_ordered',
        (n) =>
          `Line ${n}: invoiced quantity ${show(total)}${earlier} exceeds the ${show(state.ordered)} ordered on ${ref} (tolerance ${show(tol.quantity)} %); ask the buyer to raise the PO or the supplier to correct the invoice`,
        false,
      );
    }
    if (
      mode === 'three-way' &&
      state.po.goodsReceiptRequired !== false &&
      total.greaterThan(state.received.times(factor))
    ) {
      const got = state.received.isZero()
        ? 'nothing has been received yet'
        : `only ${show(state.received)} has been received`;
      flag(
        'quantity_over_received',
        (n) =>
          `Line ${n}: invoiced quantity ${show(total)}${earlier} on ${ref}, but ${got} (tolerance ${show(tol.quantity)} %); wait for or post the goods receipt, then retry`,
        false,
      );
    }
    if (total.isNegative()) {
      flag(
        'credit_exceeds_invoiced',
        (n) =>
          `Line ${n}: credits bring the invoiced quantity on ${ref} to ${show(total)}, below zero; check the credit note against the invoices it corrects`,
        true,
      );
    }
  }

  const result = lines.map((line, i): InvoiceLineMatch => {
    const found = perLine[i] ?? [];
    const status =
      found.length === 0 ? 'matched' : found.some((x) => x.code === 'no_po_line') ? 'unmatched' : 'mismatch';
    return {
      lineNo: line.lineNo,
      ...(line.poLineId === undefined ? {} : { poLineId: line.poLineId }),
      status,
      issues: found,
    };
  });
  const issues = [...header, ...perLine.flat()];
  return { matched: issues.length === 0, lines: result, issues };
}
