/**
 * The employee vendor of an expense report comes from the hub's copy of the ERP vendor master when it
 * holds one, so a report costs no vendor read at the ERP; a vendor the copy lacks, or holds blocked, is
 * read from the ERP and the copy learns it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DirectoryPort, DirectoryUser, ErpPort, ErpVendor, VendorQuery } from '../../src/connectors/port.js';
import { employeeFromDirectory } from '../../src/flows/expense/expense-posting-steps.js';
import { SupplierLookupIndex } from '../../src/hub/suppliers/supplier-lookup-index.js';

const vendor = (vendorId: string, reference: string, blocked = false): ErpVendor => ({
  vendorId,
  name: `Employee ${reference}`,
  taxNumbers: [],
  ibans: [],
  companyCodes: ['1010'],
  blocked,
  reference,
});

function estate(master: ErpVendor[]) {
  const reads: VendorQuery[] = [];
  const erp = {
    system: 'erp',
    port: {
      findVendors: (query: VendorQuery) => {
        reads.push(query);
        return Promise.resolve(master.filter((v) => v.reference === query.reference));
      },
    } as unknown as ErpPort,
  };
  const directory = {
    system: 'directory',
    port: {
      findByEmployeeNumber: (number: string) =>
        Promise.resolve({
          employee: { personnelNumber: number, displayName: `Employee ${number}`, companyCode: '1010' },
        } as unknown as DirectoryUser),
    } as unknown as DirectoryPort,
  };
  const index = new SupplierLookupIndex({ load: () => Promise.resolve({ vendors: [...master], states: [] }) });
  return { erp, directory, index, reads };
}

describe('employee vendor from the vendor master copy', () => {
  test('held in the copy: no read at the ERP', async () => {
    const e = estate([vendor('17300100', 'E-100')]);
    const facts = await employeeFromDirectory(e.directory, e.erp, 'E-100', 'report R-1', 'employeeId', e.index);
    assert.equal(facts.vendorId, '17300100');
    assert.deepEqual(e.reads, []);
  });

  test('created since the copy was read: read from the ERP once, then served by the copy', async () => {
    const master = [vendor('17300100', 'E-100')];
    const e = estate(master);
    await e.index.ensureLoaded();
    master.push(vendor('17300101', 'E-101'));
    const first = await employeeFromDirectory(e.directory, e.erp, 'E-101', 'report R-2', 'employeeId', e.index);
    const second = await employeeFromDirectory(e.directory, e.erp, 'E-101', 'report R-3', 'employeeId', e.index);
    assert.deepEqual([first.vendorId, second.vendorId], ['17300101', '17300101']);
    assert.deepEqual(e.reads, [{ reference: 'E-101' }]);
  });

  test('blocked in the copy: the ERP is asked, and an unblocked vendor is used', async () => {
    const master = [vendor('17300102', 'E-102', true)];
    const e = estate(master);
    await e.index.ensureLoaded();
    master[0] = vendor('17300102', 'E-102', false);
    const facts = await employeeFromDirectory(e.directory, e.erp, 'E-102', 'report R-4', 'employeeId', e.index);
    assert.equal(facts.vendorId, '17300102');
    assert.equal(e.reads.length, 1);
  });

  test('a copy that cannot be read leaves the ERP to answer', async () => {
    const e = estate([vendor('17300103', 'E-103')]);
    const broken = new SupplierLookupIndex({ load: () => Promise.reject(new Error('vendor master unreachable')) });
    const facts = await employeeFromDirectory(e.directory, e.erp, 'E-103', 'report R-5', 'employeeId', broken);
    assert.equal(facts.vendorId, '17300103');
    assert.equal(e.reads.length, 1);
  });
});
