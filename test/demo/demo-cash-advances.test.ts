/**
 * The demo's cash advances: an advance issued to the employee of a sample report, and a later report
 * of that employee applying it, both read by the Concur connector's translation as the flows see them.
 */
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import { test } from 'node:test';
import { parseStrictJson } from '../../src/canonical/strict-json.js';
import { toCashAdvanceDocument } from '../../src/connectors/concur/fis-cash-advances.js';
import { toExpenseDocument } from '../../src/connectors/concur/translate.js';
import { expenseReport, issuedCashAdvance } from '../../src/demo/demo-documents.js';

/** A deterministic random source (a small linear congruential generator). */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

test('a demo advance is issued to a sample employee in their currency, and a later report of theirs applies it in full', () => {
  const random = seeded(7);
  const seen = new Set<string>();
  for (let i = 0; i < 12; i++) {
    const advance = issuedCashAdvance(random, '2025-06-30');
    const issued = toCashAdvanceDocument(parseStrictJson(advance.text));
    const report = toExpenseDocument(
      parseStrictJson(expenseReport(random, { date: '2025-07-02', appliesAdvance: advance }).text),
    );
    assert.equal(issued.employeeId, report.report.employeeId);
    assert.equal(issued.amount.currency, report.report.currency);
    assert.equal(issued.issuedAt, '2025-06-30T09:00:00.000Z');
    assert.ok(new Decimal(issued.amount.amount).equals(advance.amount));
    assert.deepEqual(
      report.report.cashAdvances.map((a) => [a.id, a.appliedAmount]),
      [[issued.cashAdvanceId, issued.amount]],
    );
    const owed = report.journal
      .filter((l) => l.payee === 'EMPL')
      .reduce((sum, l) => sum.plus(l.gross.amount), new Decimal(0));
    assert.ok(new Decimal(report.report.reimbursableAmount.amount).equals(owed.minus(advance.amount)));
    seen.add(`${issued.employeeId} ${owed.greaterThan(advance.amount) ? 'below' : 'above'}`);
  }
  assert.deepEqual(
    [...seen].sort(),
    ['49038128 above', '49038128 below', 'uiexp above', 'uiexp below'],
    'both employees, below and above the payout',
  );
});
