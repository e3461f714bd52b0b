import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeDrift, computeDriftByDimension } from './master-data-drift.js';

const today = '2025-04-01';

/** Cost centers of company code 1010 as the ERP publishes them. */
const erp = [
  { key: '0010101101', name: 'Finance', active: true },
  { key: '0010101301', name: 'Sales North', active: true },
  { key: '0010101902', name: 'Marketing events 2024/25', active: true, validTo: '2025-03-31' },
  { key: '0010101903', name: 'Marketing events 2025/26', active: true, validTo: '2026-03-31' },
  { key: '0010101501', name: 'Facility (closed site)', active: false },
  { key: '0010101601', name: 'IT Operations', active: true, validTo: '2025-04-01' },
  { key: '0010101701', name: 'Legal', active: true },
];

/** The same dimension as Coupa lookup values (codes without leading zeros). */
const coupa = [
  { key: '10101101', name: 'Finance', active: true },
  { key: '10101301', name: 'Sales  North (old name)', active: true },
  { key: '10101902', name: 'Marketing events 2024/25', active: true },
  { key: '10101501', name: 'Facility (closed site)', active: true },
  { key: '10101601', name: 'IT  Operations', active: true },
  { key: '10101701', name: 'Legal', active: false },
  { key: '10109999', name: 'Test cost center', active: true },
  { key: '10100001', name: 'Old dummy', active: false },
];

describe('computeDrift', () => {
  it('reports what the target lacks, has stale, keeps after retirement, has inactive, or does not know', () => {
    assert.deepEqual(computeDrift(erp, coupa, today), {
      missing: [{ key: '0010101903', name: 'Marketing events 2025/26' }],
      stale: [{ key: '0010101301', expectedName: 'Sales North', actualName: 'Sales  North (old name)' }],
      activeAfterRetirement: [
        { key: '0010101501', name: 'Facility (closed site)', reason: 'inactive' },
        { key: '0010101902', name: 'Marketing events 2024/25', reason: 'expired', validTo: '2025-03-31' },
      ],
      inactiveInTarget: [{ key: '0010101701', name: 'Legal' }],
      unexpected: [
        { key: '10100001', name: 'Old dummy', active: false },
        { key: '10109999', name: 'Test cost center', active: true },
      ],
    });
  });

  it('keeps a value current on its last valid day', () => {
    const drift = computeDrift(
      [{ key: 'CC1', name: 'Ops', active: true, validTo: '2025-04-01' }],
      [{ key: 'CC1', name: 'Ops', active: true }],
      '2025-04-01',
    );
    assert.deepEqual(drift.activeAfterRetirement, []);
    const dayAfter = computeDrift(
      [{ key: 'CC1', name: 'Ops', active: true, validTo: '2025-04-01' }],
      [{ key: 'CC1', name: 'Ops', active: true }],
      '2025-04-02',
    );
    assert.equal(dayAfter.activeAfterRetirement[0]?.reason, 'expired');
  });

  it('finds no drift when both sides agree, and ignores retired values the target never had', () => {
    const same = erp.filter((e) => e.key === '0010101101');
    assert.deepEqual(
      computeDrift(
        [...same, { key: 'X1', name: 'Gone', active: false }],
        [{ key: '10101101', name: 'Finance', active: true }],
        today,
      ),
      {
        missing: [],
        stale: [],
        activeAfterRetirement: [],
        inactiveInTarget: [],
        unexpected: [],
      },
    );
  });

  it('computes several dimensions at once', () => {
    const drift = computeDriftByDimension(
      {
        glAccount: { expected: [{ key: '0000476000', name: 'Office supplies', active: true }], actual: [] },
        costCenter: { expected: erp, actual: coupa },
      },
      today,
    );
    assert.deepEqual(Object.keys(drift), ['costCenter', 'glAccount']);
    assert.deepEqual(drift.glAccount.missing, [{ key: '0000476000', name: 'Office supplies' }]);
  });
});
