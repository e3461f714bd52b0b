import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ErpVendor } from '../../connectors/port.js';
import { SupplierLookupIndex } from './supplier-lookup-index.js';

const vendor = (vendorId: string, name: string, country: string, taxNumber: string): ErpVendor => ({
  vendorId,
  name,
  country,
  taxNumbers: [taxNumber],
  ibans: [],
  companyCodes: ['1010'],
  blocked: false,
});

test('a tax number outside the EU VAT scheme is found by its own prefix, and not across countries', () => {
  const index = new SupplierLookupIndex();
  index.replaceAll(
    [vendor('1', 'Nord Bau Inc.', 'US', 'US300000123'), vendor('2', 'Nord Bau GmbH', 'DE', 'DE136695976')],
    [],
  );
  assert.deepEqual(
    index.lookup({ taxNumber: 'US300000123' }).matches.map((m) => [m.vendorId, m.score]),
    [['1', 1]],
  );
  assert.deepEqual(
    index.lookup({ taxNumber: 'DE 136 695 976' }).matches.map((m) => m.vendorId),
    ['2'],
  );
  assert.deepEqual(index.lookup({ taxNumber: 'US300000123', country: 'GB' }).matches, []);
});

test('by name, the meant vendor comes first among similar names', () => {
  const index = new SupplierLookupIndex();
  index.replaceAll(
    [
      vendor('1', 'Atlas Mueller Consulting 1234 GmbH', 'DE', 'DE1'),
      vendor('2', 'Atlas Mueller Consulting 1243 GmbH', 'DE', 'DE2'),
      vendor('3', 'Orion Druck GmbH', 'DE', 'DE3'),
    ],
    [],
  );
  const answer = index.lookup({ name: 'Atlas Muelleer Consulting 1234' });
  assert.equal(answer.matches[0]?.vendorId, '1');
  assert.ok(!answer.matches.some((m) => m.vendorId === '3'));
});
