/**
 * SAP Concur checked, read only, against what the connector relies on (concur-contract-facts.ts):
 * the token answer (geolocation, the FISVC scope, the list item scopes master data publishing
 * needs) and one page of READY expense documents (the v4 envelope or the published examples' one,
 * page fields, document fields and statuses).
 */
import type { JsonValue } from '../../canonical/strict-json.js';
import { JsonNumber } from '../../canonical/strict-json.js';
import { checkFinding, type ContractFinding } from '../ports/contract-check.js';
import type { ConcurHttpClient } from './client.js';
import { FIS_EXAMPLE_ENVELOPE, FIS_PAGE, FIS_REQUEST, LIST_ITEMS } from './concur-contract-facts.js';

type Obj = { readonly [key: string]: JsonValue };
const isObj = (v: JsonValue | undefined): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
const unknownKeys = (value: Obj, known: readonly string[]): string[] =>
  Object.keys(value).filter((k) => !known.includes(k));

function fisPageDifferences(body: JsonValue): string[] {
  if (!isObj(body)) return ['the answer is not an object'];
  const problems: string[] = [];
  const content = body['content'] ?? body[FIS_EXAMPLE_ENVELOPE.documentsKey];
  if (!Array.isArray(content)) return [`neither content[] nor ${FIS_EXAMPLE_ENVELOPE.documentsKey}[]`];
  if (body['content'] !== undefined) {
    const page = body['page'];
    if (!isObj(page)) problems.push('no page object');
    else {
      const missing = FIS_PAGE.pageKeys.filter((k) => page[k] === undefined);
      if (missing.length > 0) problems.push(`page lacks ${missing.join(', ')}`);
    }
    const extra = unknownKeys(body, FIS_PAGE.envelopeKeys);
    if (extra.length > 0) problems.push(`unpublished envelope fields ${extra.join(', ')}`);
  }
  for (const entry of content.slice(0, 1)) {
    if (!isObj(entry)) {
      problems.push('a document entry is not an object');
      continue;
    }
    const extra = unknownKeys(entry, FIS_PAGE.documentKeys);
    if (extra.length > 0) problems.push(`unpublished document fields ${extra.join(', ')}`);
    const status = entry['docStatus'];
    if (typeof status !== 'string' || !(FIS_PAGE.docStatuses as readonly string[]).includes(status)) {
      problems.push(`docStatus ${String(status)} is not a published status`);
    }
    if (entry['document'] === undefined) problems.push('a document entry without document');
  }
  return problems;
}

export async function checkConcurContract(client: ConcurHttpClient, systemId: string): Promise<ContractFinding[]> {
  const findings: ContractFinding[] = [];
  let scopes: string[] = [];
  findings.push(
    await checkFinding('token: answer with geolocation and the FIS scope', async () => {
      const token = await client.session.getToken();
      const problems: string[] = [];
      const geolocation = token.fields['geolocation'];
      if (typeof geolocation !== 'string' || geolocation === '') problems.push('no geolocation in the token answer');
      scopes = String(token.fields['scope'] ?? '')
        .split(/\s+/)
        .filter(Boolean);
      if (!scopes.includes(FIS_REQUEST.scope))
        problems.push(`scope lacks ${FIS_REQUEST.scope} (scopes: ${scopes.join(' ') || 'none'})`);
      return problems;
    }),
  );
  const listScopes = [LIST_ITEMS.scopes.read, LIST_ITEMS.scopes.write];
  const listScopesHeld = listScopes.every((s) => scopes.includes(s));
  findings.push({
    check: 'token: list item scopes (master data publishing to lists)',
    ok: listScopesHeld,
    ...(listScopesHeld
      ? {}
      : { detail: `needs ${listScopes.join(' and ')} when master data is published to this system` }),
  });
  findings.push(
    await checkFinding('GET FIS expense transactions: one page in the published shape', async () => {
      const path = FIS_REQUEST.transactionsPath.replace('{docType}', 'expense');
      const body = await client.read(path, { page: FIS_REQUEST.firstPage, limit: 1, systemId });
      const problems = fisPageDifferences(body);
      return problems;
    }),
  );
  return findings;
}
