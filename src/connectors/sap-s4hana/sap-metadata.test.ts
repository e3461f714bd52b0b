/** The simulator's `$metadata` states exactly the facts it enforces: read back, no service differs. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ODATA_SERVICE_FACTS } from './contract-facts/index.js';
import { metadataDifferences } from './metadata-differences.js';
import { metadataDocument } from './simulator/metadata-document.js';

test('every service: the EDMX written from the facts reads back as the facts', () => {
  for (const [service, facts] of Object.entries(ODATA_SERVICE_FACTS)) {
    assert.deepEqual(metadataDifferences(metadataDocument(facts), facts), [], service);
  }
});

test('a shortened field, a missing set and a function import parameter renamed are each named', () => {
  const facts = ODATA_SERVICE_FACTS['API_SUPPLIERINVOICE_PROCESS_SRV']!;
  const xml = metadataDocument(facts)
    .replace(
      'Name="SupplierInvoiceIDByInvcgParty" Type="Edm.String" MaxLength="16"',
      'Name="SupplierInvoiceIDByInvcgParty" Type="Edm.String" MaxLength="12"',
    )
    .replace(/<EntitySet Name="A_SupplierInvoiceTax"[^>]*\/>/, '');
  const differences = metadataDifferences(xml, facts);
  assert.ok(
    differences.some(
      (d) => d.startsWith('A_SupplierInvoice.SupplierInvoiceIDByInvcgParty:') && d.includes('"maxLength":12'),
    ),
    differences.join('\n'),
  );
  assert.ok(differences.includes('entity set A_SupplierInvoiceTax is missing'), differences.join('\n'));
  assert.deepEqual(metadataDifferences('<html>maintenance</html>', facts), [
    'no schema API_SUPPLIERINVOICE_PROCESS_SRV',
  ]);
});
