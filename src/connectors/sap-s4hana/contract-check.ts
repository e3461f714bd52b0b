/**
 * SAP S/4HANA checked, read only, against what the connector relies on: the `$metadata` of every
 * OData service it calls compared with contract-facts/ (entity sets, properties with types and
 * lengths, keys, sap flags, navigations, function imports). The journal entry SOAP service publishes
 * its WSDL only through the communication arrangement's download, not at a URL the connector knows,
 * so it is not read here; its facts are checked against the published WSDL by the facts test.
 */
import type { ContractFinding } from '../ports/contract-check.js';
import type { SapClient } from './client.js';
import { ODATA_SERVICE_FACTS } from './contract-facts/index.js';
import { metadataDifferences } from './metadata-differences.js';

const MAX_LISTED = 5;

export async function checkSapContract(client: SapClient, signal?: AbortSignal): Promise<ContractFinding[]> {
  const findings: ContractFinding[] = [];
  for (const [service, facts] of Object.entries(ODATA_SERVICE_FACTS)) {
    const check = `$metadata ${service}`;
    try {
      const differences = metadataDifferences(await client.metadata(service, signal), facts);
      const sets = Object.keys(facts.entitySets).length;
      findings.push(
        differences.length === 0
          ? { check, ok: true, detail: `${sets} entity set(s) as the connector uses them` }
          : {
              check,
              ok: false,
              detail:
                differences.slice(0, MAX_LISTED).join('; ') +
                (differences.length > MAX_LISTED ? `; and ${differences.length - MAX_LISTED} more` : ''),
            },
      );
    } catch (error) {
      findings.push({ check, ok: false, detail: error instanceof Error ? error.message : String(error) });
    }
  }
  return findings;
}
