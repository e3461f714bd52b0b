/**
 * The cost of one supplier lookup (`GET /v1/suppliers/lookup` without HTTP): the in-memory vendor
 * master of the demo ERP (read through the SAP connector from its simulator) plus 10,000 synthetic
 * vendors, queried by name (with typing errors and spelling variants), tax number and IBAN. Prints
 * µs per lookup for each kind and writes bench/results/supplier-lookup.json.
 *
 *   node --import tsx bench/supplier-lookup.ts [--vendors 10000] [--lookups 2000]
 */
import { performance } from 'node:perf_hooks';
import { composeIBAN } from 'ibantools';
import type { ErpVendor } from '../src/connectors/port.js';
import { SapS4HanaConnector } from '../src/connectors/sap-s4hana/connector.js';
import { createSapSimulator } from '../src/connectors/sap-s4hana/simulator/sap-simulator.js';
import { SupplierLookupIndex } from '../src/hub/suppliers/supplier-lookup-index.js';
import { writeResult } from './bench-support.js';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? undefined : Number(process.argv[at + 1]);
  return value === undefined || !Number.isFinite(value) ? fallback : value;
}

const WORDS = [
  'Nord',
  'Sued',
  'Alpen',
  'Hansa',
  'Rhein',
  'Elbe',
  'Kranich',
  'Falke',
  'Adler',
  'Lotse',
  'Atlas',
  'Orion',
  'Vega',
  'Delta',
  'Mueller',
  'Schmidt',
  'Weber',
  'Becker',
];
const TRADES = [
  'Logistik',
  'Bau',
  'Druck',
  'Technik',
  'Consulting',
  'Handel',
  'Elektro',
  'Software',
  'Metall',
  'Reinigung',
];
const FORMS: Record<string, string> = { DE: 'GmbH', GB: 'Ltd', US: 'Inc.', FR: 'SAS' };

function synthetic(count: number): ErpVendor[] {
  const countries = Object.keys(FORMS);
  return Array.from({ length: count }, (_, i) => {
    const country = countries[i % countries.length]!;
    const name = `${WORDS[i % WORDS.length]} ${WORDS[Math.floor(i / WORDS.length) % WORDS.length]} ${TRADES[i % TRADES.length]} ${i} ${FORMS[country]}`;
    const iban =
      country === 'US'
        ? undefined
        : composeIBAN({ countryCode: 'DE', bban: `50010517${String(100_000_000 + i).padStart(10, '0')}` });
    return {
      vendorId: String(20_000_000 + i),
      name,
      country,
      taxNumbers: [`${country}${String(300_000_000 + i)}`],
      ibans: iban === undefined || iban === null ? [] : [iban],
      companyCodes: ['1010'],
      blocked: i % 97 === 0,
    };
  });
}

async function main(): Promise<void> {
  const vendorCount = arg('vendors', 10_000);
  const lookups = arg('lookups', 2_000);
  const sim = createSapSimulator();
  const url = await sim.server.start();
  const erp = new SapS4HanaConnector({
    baseUrl: url,
    user: sim.credentials.user,
    password: sim.credentials.password,
    allowInsecureHttp: true,
  });
  const index = new SupplierLookupIndex({
    load: async () => ({ vendors: await erp.vendorsChangedSince(null), states: [] }),
  });
  await index.reload();
  await sim.server.stop();
  const demo = index.size;
  const extra = synthetic(vendorCount);
  const loadStart = performance.now();
  index.upsert(extra);
  const loadMs = performance.now() - loadStart;

  const kinds = {
    name: (i: number) => ({
      name: extra[(i * 7919) % extra.length]!.name.replace(/e/, 'ee').replace(/GmbH|Ltd|Inc\.|SAS/, ''),
    }),
    taxNumber: (i: number) => ({ taxNumber: extra[(i * 7919) % extra.length]!.taxNumbers[0]! }),
    iban: (i: number) => ({ iban: extra[(i * 2 * 7919) % extra.length]!.ibans[0] ?? 'DE89370400440532013000' }),
  };
  const results: Record<string, { microsPerLookup: number; hits: number }> = {};
  for (const [kind, query] of Object.entries(kinds)) {
    for (let i = 0; i < 200; i++) index.lookup(query(i)); // warm up
    let hits = 0;
    const start = performance.now();
    for (let i = 0; i < lookups; i++) if ((index.lookup(query(i)).matches[0]?.score ?? 0) > 0.8) hits++;
    const micros = ((performance.now() - start) * 1000) / lookups;
    results[kind] = { microsPerLookup: Math.round(micros * 10) / 10, hits };
    console.log(
      `${kind.padEnd(10)} ${micros.toFixed(1).padStart(8)} µs per lookup  (${hits}/${lookups} found with score > 0.8)`,
    );
  }
  console.log(`vendor master: ${demo} demo + ${vendorCount} synthetic vendors; indexed in ${loadMs.toFixed(0)} ms`);
  writeResult('bench/results/supplier-lookup.json', {
    node: process.version,
    vendors: demo + vendorCount,
    lookups,
    indexMs: Math.round(loadMs),
    results,
  });
}

await main();
