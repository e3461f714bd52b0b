/** The JSON Schema published for editors is the one the loader checks, and the demo configuration passes it. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { configJsonSchema } from '../../src/config/config-schema.js';
import { parseConfigText } from '../../src/config/load-config.js';

test('ledgerlink.schema.json is current (regenerate with: npm run schema)', () => {
  const published = JSON.parse(readFileSync('ledgerlink.schema.json', 'utf8')) as unknown;
  assert.deepEqual(published, configJsonSchema());
});

test('ledgerlink.demo.yaml is a valid configuration with every flow section and secrets by reference', () => {
  const config = parseConfigText(readFileSync('ledgerlink.demo.yaml', 'utf8'), 'ledgerlink.demo.yaml', {});
  assert.deepEqual(Object.keys(config.systems).sort(), ['bc', 'directory', 'erp', 'expense', 'procurement']);
  for (const flow of [
    'masterData',
    'supplierOnboarding',
    'expensePosting',
    'invoicePosting',
    'paymentStatus',
  ] as const) {
    assert.ok(config.flows[flow] !== undefined, `${flow} is configured`);
  }
  for (const system of Object.values(config.systems)) {
    for (const ref of Object.values(system.credentials ?? {})) assert.ok('env' in ref || 'secret' in ref);
  }
});

test('a flow naming a system that is not configured is refused with its path', () => {
  assert.throws(
    () =>
      parseConfigText(
        'systems:\n  erp: { kind: sap-s4hana }\nflows:\n  masterData: { source: erp, targets: [procurement] }\nownership: { suppliers: vendorhub }\n',
        'x.yaml',
        {},
      ),
    (error: Error & { details?: { path: string }[] }) => {
      const paths = (error.details ?? []).map((d) => d.path);
      assert.ok(paths.includes('flows.masterData.targets[0]'), paths.join(','));
      assert.ok(paths.includes('ownership.suppliers'), paths.join(','));
      return true;
    },
  );
});
