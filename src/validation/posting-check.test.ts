import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_POSTING_CHECK_POLICY, dispositionOf, payeeIssue, postingCheckFailure } from './posting-check.js';

const closed = {
  code: 'period_closed',
  path: 'postingDate',
  message: 'Period 2025-06 is closed for company code 1010',
};
const blocked = { code: 'cost_center_blocked', path: 'costCenter', message: 'Cost center 10101101 is blocked' };

describe('posting check policy', () => {
  test('by default a closed period waits in the hub and everything else goes back to the source', () => {
    assert.equal(dispositionOf('period_closed', DEFAULT_POSTING_CHECK_POLICY), 'wait');
    assert.equal(dispositionOf('cost_center_blocked', DEFAULT_POSTING_CHECK_POLICY), 'return');
    assert.equal(dispositionOf('vendor_blocked', { waitInHub: ['vendor_blocked'] }), 'wait');
  });

  test('only waiting issues: LL_ERR_POSTING_WAITING; one issue that goes back: LL_ERR_VALIDATION led by it', () => {
    assert.equal(postingCheckFailure('Report R cannot be posted', [], DEFAULT_POSTING_CHECK_POLICY), undefined);
    const waits = postingCheckFailure('Report R cannot be posted', [closed], DEFAULT_POSTING_CHECK_POLICY);
    assert.equal(waits?.code, 'LL_ERR_POSTING_WAITING');
    assert.match(waits?.message ?? '', /Period 2025-06 is closed.*waits in the hub/);
    const back = postingCheckFailure('Report R cannot be posted', [closed, blocked], DEFAULT_POSTING_CHECK_POLICY);
    assert.equal(back?.code, 'LL_ERR_VALIDATION');
    assert.equal(back?.message, 'Report R cannot be posted: Cost center 10101101 is blocked (and 1 more)');
    assert.deepEqual(
      back?.details.map((d) => (d as unknown as { disposition: string }).disposition),
      ['wait', 'return'],
    );
  });

  test('the payee: unknown, blocked, or not in the company code', () => {
    const payee = { vendorId: '17300004', known: true, blocked: false, companyCodes: ['1010'] };
    assert.equal(payeeIssue(payee, '1010'), undefined);
    assert.equal(payeeIssue({ ...payee, blocked: true }, '1010')?.code, 'vendor_blocked');
    assert.equal(payeeIssue({ ...payee, known: false }, '1010')?.code, 'vendor_unknown');
    assert.equal(payeeIssue(payee, '1710')?.code, 'vendor_not_in_company_code');
  });
});
