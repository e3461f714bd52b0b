import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { issue, issuesToError } from './validation-issue.js';

describe('issuesToError', () => {
  it('is undefined when there are only warnings', () => {
    assert.equal(
      issuesToError([issue('currency_not_entity_currency', 'currency', 'Posting in USD', 'warning')]),
      undefined,
    );
  });

  it('turns error issues into LL_ERR_VALIDATION with one detail each', () => {
    const error = issuesToError([
      issue('cost_center_not_valid_on_date', 'costCenter', 'Cost center 10101902 expired on 2025-03-31'),
      issue('currency_not_entity_currency', 'currency', 'Posting in USD', 'warning'),
      issue('period_closed', 'date', 'Period 2025-01 is closed for company code 1010'),
    ]);
    assert.equal(error?.code, 'LL_ERR_VALIDATION');
    assert.equal(error?.status, 422);
    assert.equal(error?.message, 'Document failed validation: Cost center 10101902 expired on 2025-03-31 (and 1 more)');
    assert.deepEqual(
      error?.details.map((d) => [d['code'], d.path]),
      [
        ['cost_center_not_valid_on_date', 'costCenter'],
        ['period_closed', 'date'],
      ],
    );
  });
});
