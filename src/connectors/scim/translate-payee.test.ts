/** The SCIM user's reimbursement bank accounts, read from the tenant's payee extension. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ENTERPRISE_USER_SCHEMA, PAYEE_USER_SCHEMA, type ScimResource } from './client.js';
import { toDirectoryUser } from './translate.js';

const user = (extra: Record<string, unknown>): ScimResource =>
  ({
    id: 'u-1',
    userName: 'nora.neumann@example.com',
    name: { givenName: 'Nora', familyName: 'Neumann' },
    [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '49099001', organization: '1010' },
    ...extra,
  }) as unknown as ScimResource;

describe('SCIM payee extension', () => {
  test('bank accounts with an IBAN are read, with BIC and holder when given', () => {
    const read = toDirectoryUser(
      user({
        [PAYEE_USER_SCHEMA]: {
          bankAccounts: [
            { iban: 'DE12500105170648489890', bic: 'INGDDEFFXXX', accountHolder: 'Nora Neumann' },
            { bic: 'NOIBAN' },
          ],
        },
      }),
    );
    assert.deepEqual(read.bankAccounts, [
      { iban: 'DE12500105170648489890', bic: 'INGDDEFFXXX', holderName: 'Nora Neumann' },
    ]);
  });

  test('a user without the extension has no bank accounts', () => {
    assert.equal(toDirectoryUser(user({})).bankAccounts, undefined);
  });
});
