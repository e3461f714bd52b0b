/**
 * Speed of the pure validation checks on a larger estate (4 company codes, 8,000 GL accounts,
 * 20,000 cost centers, 4,000 WBS elements): nanoseconds per master data lookup, per coding check
 * and per supplier match against 5,000 vendors whose names are all alike (the worst case: none can
 * be skipped by the length bound). Prints one JSON line and writes
 * bench/results/validate-coding.json.
 *
 *   node --import tsx bench/validate-coding.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { CostCenter, GlAccount, LegalEntity, Project, TaxCode } from '../src/canonical/model/master-data.js';
import {
  buildMasterDataIndex,
  matchSupplier,
  normaliseSupplier,
  PeriodCalendar,
  prepareVendors,
  validateCoding,
  type CodingInput,
  type VendorRecord,
} from '../src/validation/index.js';

const refs = {};
const companyCodes = ['1010', '1710', '2010', '3010'];
const legalEntities: LegalEntity[] = companyCodes.map((cc) => ({
  id: cc,
  refs,
  companyCode: cc,
  name: `Company ${cc}`,
  country: 'DE',
  currency: 'EUR',
  active: true,
}));
const glAccounts: GlAccount[] = [];
const costCenters: CostCenter[] = [];
const projects: Project[] = [];
const taxCodes: TaxCode[] = [];
for (const cc of companyCodes) {
  for (let i = 0; i < 2000; i++) {
    const number = String(400000 + i).padStart(10, '0');
    glAccounts.push({
      id: `${cc}-${number}`,
      refs,
      companyCode: cc,
      number,
      name: `Account ${i}`,
      type: 'expense',
      postingAllowed: true,
      requiresCostObject: false,
      blocked: false,
    });
  }
  for (let i = 0; i < 5000; i++) {
    costCenters.push({
      id: `${cc}-cc-${i}`,
      refs,
      companyCode: cc,
      code: `${cc}${String(i).padStart(4, '0')}`,
      name: `Cost center ${i}`,
      validFrom: '2020-01-01',
      blocked: false,
    });
  }
  for (let i = 0; i < 1000; i++) {
    projects.push({
      id: `${cc}-p-${i}`,
      refs,
      companyCode: cc,
      projectCode: `P-${cc}${i}`,
      wbsElement: `P-${cc}${i}.1`,
      name: `Project ${i}`,
      postingAllowed: true,
      status: 'released',
    });
  }
  taxCodes.push({
    id: `${cc}-V1`,
    refs,
    companyCode: cc,
    code: 'V1',
    country: 'DE',
    kind: 'input',
    ratePercent: '19',
    deductiblePercent: '100',
  });
}

function time(label: string, iterations: number, fn: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(iterations, 10000); i++) fn(i);
  const start = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < iterations; i++) if (fn(i) !== undefined) sink++;
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  console.error(`${label}: ${ns.toFixed(0)} ns per call (${sink > 0 ? 'ok' : 'no result'})`);
  return Math.round(ns);
}

const buildStart = process.hrtime.bigint();
const index = buildMasterDataIndex({ legalEntities, glAccounts, costCenters, projects, taxCodes });
const buildMs = Number(process.hrtime.bigint() - buildStart) / 1e6;
const calendar = new PeriodCalendar({ '*': { closedBefore: '2024-01' }, '1010': { closed: ['2025-01'] } });
const line = (i: number): CodingInput => ({
  entity: companyCodes[i % 4] ?? '1010',
  account: String(400000 + (i % 2000)),
  costCenter: `${companyCodes[i % 4] ?? '1010'}${String(i % 5000).padStart(4, '0')}`,
  project: `P-${companyCodes[i % 4] ?? '1010'}${i % 1000}.1`,
  taxCode: 'V1',
  date: '2025-03-14',
  currency: 'EUR',
});
const lines = Array.from({ length: 4096 }, (_, i) => line(i));

const codes = Array.from({ length: 5000 }, (_, i) => `1010${String(i).padStart(4, '0')}`);
const lookupNs = time('cost center lookup', 1_000_000, (i) => index.costCenters('1010', codes[i % 5000] ?? ''));
const codingNs = time('validateCoding (clean line, 4 dimensions)', 300_000, (i) => {
  const r = validateCoding(lines[i % 4096] as CodingInput, index, calendar);
  return r.valid ? r : undefined;
});

const vendors: VendorRecord[] = Array.from({ length: 5000 }, (_, i) => ({
  vendorId: String(1000000 + i),
  name: `Lieferant ${i} Handels GmbH`,
  country: 'DE',
  taxNumbers: [],
  ibans: [],
  blocked: false,
}));
const prepared = prepareVendors(vendors);
const supplier = normaliseSupplier({ name: 'Lieferant 4711 Handel GmbH', country: 'DE' }).supplier;
const matchUs =
  time('matchSupplier by name against 5,000 vendors', 200, () => matchSupplier(supplier, prepared)) / 1000;

const result = {
  name: 'validate-coding',
  indexBuildMs: Math.round(buildMs),
  costCenterLookupNs: lookupNs,
  validateCodingNs: codingNs,
  supplierMatch5000VendorsUs: Math.round(matchUs),
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/validate-coding.json', `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result));
