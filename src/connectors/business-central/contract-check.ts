/**
 * Business Central checked, read only, against what the connector relies on: the configured companies
 * exist, and for each resource the connector reads, one record's properties are those the published
 * reference lists (bc-contract-facts.ts): none the connector uses is missing, and enum values are
 * among the published ones. The tenant's `$metadata` is not compared: the documentation publishes no
 * metadata file to compare it with.
 */
import { BC_RESOURCES, type BcResourceFact } from './bc-contract-facts.js';
import type { BcClient } from './client.js';
import { checkFinding, type ContractFinding } from '../ports/contract-check.js';

/** The resources read per company, and the properties the connector reads from each. */
const READ: Readonly<Record<string, readonly string[]>> = {
  companyInformation: ['country', 'currencyCode', 'taxRegistrationNumber'],
  accounts: ['id', 'number', 'displayName', 'category', 'blocked', 'accountType', 'lastModifiedDateTime'],
  dimensions: ['id', 'code'],
  dimensionValues: ['id', 'code', 'dimensionId', 'displayName', 'lastModifiedDateTime'],
  taxGroups: ['id', 'code', 'displayName', 'lastModifiedDateTime'],
  vendors: ['id', 'number', 'displayName', 'country', 'taxRegistrationNumber', 'blocked', 'lastModifiedDateTime'],
  purchaseInvoices: [
    'id',
    'number',
    'postingDate',
    'vendorInvoiceNumber',
    'vendorNumber',
    'status',
    'totalAmountIncludingTax',
  ],
  generalLedgerEntries: ['documentNumber', 'postingDate'],
  vendorLedgerEntries: [
    'entryNumber',
    'documentType',
    'documentNumber',
    'externalDocumentNumber',
    'vendorNumber',
    'open',
    'amount',
    'currencyCode',
    'lastModifiedDateTime',
  ],
};

export async function checkBcContract(
  client: BcClient,
  companies: Readonly<Record<string, string>>,
): Promise<ContractFinding[]> {
  const listed = await client.list('companies').catch(() => []);
  const findings: ContractFinding[] = [
    await checkFinding('companies', async () =>
      Object.entries(companies)
        .filter(([, wanted]) => !listed.some((c) => [c['id'], c['name'], c['displayName']].includes(wanted)))
        .map(([entity, wanted]) => `no company "${wanted}" for legal entity ${entity}`),
    ),
  ];
  const first = listed.find((c) =>
    Object.values(companies).some((w) => [c['id'], c['name'], c['displayName']].includes(w)),
  );
  if (first === undefined) return findings;
  for (const [set, used] of Object.entries(READ)) {
    findings.push(
      await checkFinding(`GET companies({id})/${set}`, async () => {
        const [record] = await client.list(`companies(${String(first['id'])})/${set}?$top=1`);
        if (record === undefined) return { differences: [], note: 'no record to compare' };
        const fact = (BC_RESOURCES as Readonly<Record<string, BcResourceFact>>)[set];
        const missing = used.filter((p) => !(p in record)).map((p) => `${set}.${p} missing`);
        const values = Object.entries(fact?.properties ?? {}).flatMap(([name, property]) => {
          const value = record[name];
          return property.values !== undefined && typeof value === 'string' && !property.values.includes(value)
            ? [`${set}.${name} = "${value}" is not a published value`]
            : [];
        });
        return [...missing, ...values];
      }),
    );
  }
  return findings;
}
