/**
 * SAP S/4HANA checked, read only, against what the connector relies on: the `$metadata` of every
 * OData service it calls compared with contract-facts/ (entity sets, properties with types and
 * lengths, keys, sap flags, navigations, function imports). The journal entry SOAP service publishes
 * its WSDL only through the communication arrangement's download, not at a URL the connector knows,
 * so it is not read here; its facts are checked against the published WSDL by the facts test.
 */
import { checkFinding, type ContractFinding } from '../ports/contract-check.js';
import type { SapClient } from './client.js';
import { ODATA_SERVICE_FACTS } from './contract-facts/index.js';
import { metadataDifferences } from './metadata-differences.js';

export async function checkSapContract(client: SapClient, signal?: AbortSignal): Promise<ContractFinding[]> {
  const findings: ContractFinding[] = [];
  for (const [service, facts] of Object.entries(ODATA_SERVICE_FACTS)) {
    findings.push(
      await checkFinding(`$metadata ${service}`, async () => ({
        differences: metadataDifferences(await client.metadata(service, signal), facts),
        note: `${Object.keys(facts.entitySets).length} entity set(s) as the connector uses them`,
      })),
    );
  }
  return findings;
}
