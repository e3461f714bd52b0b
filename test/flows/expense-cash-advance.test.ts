/**
 * The journal entry of a report's applied cash advances, without I/O: clearing accounts from the
 * demo mapping set or the configured account, signs as FIS gives them (a reversed application swaps
 * the sides), and an actionable validation issue when no clearing account is known.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { isLedgerlinkError } from '../../src/canonical/errors.js';
import { money } from '../../src/canonical/money.js';
import type { ExpenseDocument } from '../../src/connectors/port.js';
import {
  advanceCodingInputs,
  advanceIssues,
  cashAdvancePosting,
  mapCashAdvances,
} from '../../src/flows/expense/expense-cash-advance.js';
import { plannedPostings } from '../../src/flows/expense/expense-journal.js';
import { loadMappingSet } from '../../src/mapping/load-mapping-set.js';

const demo = loadMappingSet(readFileSync('mappings/demo.yaml', 'utf8'));
const parties = {
  entity: '1010',
  currency: 'EUR',
  postingDate: '2025-06-30',
  documentDate: '2025-06-28',
  headerText: 'ER R-1',
  employeeVendor: '17400001',
};

/** A document carrying only what the cash advance step reads: the report's applications. */
function applying(...advances: { id: string; applied: string; code?: string }[]): ExpenseDocument {
  return {
    report: {
      cashAdvances: advances.map((a) => ({
        id: a.id,
        refs: {},
        appliedAmount: money(a.applied, 'EUR'),
        ...(a.code === undefined ? {} : { clearingAccountCode: a.code }),
      })),
    },
  } as unknown as ExpenseDocument;
}

function lines(posting: ReturnType<typeof cashAdvancePosting>): string[] {
  return (posting?.entry.lines ?? []).map((l) => `${l.vendorId ?? l.glAccount} ${l.side} ${l.amount.amount}`);
}

describe('applied cash advances', () => {
  test('mapped clearing account, else the configured one; one journal: Dr the employee vendor with the total, Cr each clearing account', () => {
    const advances = mapCashAdvances(
      applying({ id: 'CA-1', applied: '50.00', code: '12345' }, { id: 'CA-2', applied: '20.00', code: '999' }),
      demo,
      { entity: '1010', cashAdvanceClearingAccount: '19990000' },
    );
    assert.deepEqual(
      advances.map((a) => [a.cashAdvanceId, a.sourceAccount, a.clearingAccount]),
      [
        ['CA-1', '12345', '13600000'],
        ['CA-2', '999', '19990000'],
      ],
    );
    const posting = cashAdvancePosting(advances, parties);
    assert.deepEqual(
      [posting?.group, posting?.kind, posting?.entry.companyCode, posting?.entry.postingDate],
      ['cash_advance', 'journal_entry', '1010', '2025-06-30'],
    );
    assert.deepEqual(lines(posting), ['17400001 D 70.00', '13600000 C 50.00', '19990000 C 20.00']);
    assert.deepEqual(advanceIssues(advances, '1010'), []);
    assert.deepEqual(
      advanceCodingInputs(advances, '1010', '2025-06-30', 'EUR').map((i) => i.account),
      ['13600000', '19990000'],
    );
  });

  test('a reversed application swaps the sides; applications that cancel leave no vendor line; nothing applied, no journal', () => {
    const reversed = mapCashAdvances(applying({ id: 'CA-1', applied: '-30.00', code: '12345' }), demo, {
      entity: '1010',
    });
    assert.deepEqual(lines(cashAdvancePosting(reversed, parties)), ['17400001 C 30.00', '13600000 D 30.00']);
    const cancelling = mapCashAdvances(
      applying({ id: 'CA-1', applied: '30.00', code: '12345' }, { id: 'CA-2', applied: '-30.00' }),
      demo,
      { entity: '1010', cashAdvanceClearingAccount: '19990000' },
    );
    assert.deepEqual(lines(cashAdvancePosting(cancelling, parties)), ['13600000 C 30.00', '19990000 D 30.00']);
    assert.equal(
      cashAdvancePosting(
        mapCashAdvances(applying({ id: 'CA-0', applied: '0.00', code: '12345' }), demo, { entity: '1010' }),
        parties,
      ),
      undefined,
    );
    assert.equal(cashAdvancePosting([], parties), undefined);
  });

  test('neither a mapped nor a configured clearing account: a validation issue that says what to do, and the posting refused', () => {
    const advances = mapCashAdvances(applying({ id: 'CA-9', applied: '50.00', code: '777' }), demo, { entity: '1010' });
    const [issue, ...more] = advanceIssues(advances, '1010');
    assert.equal(more.length, 0);
    assert.equal(issue?.path, 'report.cashAdvances[0]');
    assert.match(
      issue?.message ?? '',
      /No clearing account for cash advance CA-9: its clearing account code 777 has no row in mapping table expense-clearing-account for company code 1010, and flows\.expensePosting\.cashAdvanceClearingAccount is not set/,
    );
    assert.throws(
      () => plannedPostings([], parties, advances),
      (error) => isLedgerlinkError(error) && error.code === 'LL_ERR_VALIDATION' && /CA-9/.test(error.message),
    );
    const noVendor = mapCashAdvances(applying({ id: 'CA-1', applied: '50.00', code: '12345' }), demo, {
      entity: '1010',
    });
    const { employeeVendor: _vendor, ...withoutVendor } = parties;
    assert.throws(
      () => cashAdvancePosting(noVendor, withoutVendor),
      /no vendor account in the ERP for company code 1010/,
    );
  });
});
