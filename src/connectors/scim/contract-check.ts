/**
 * The SCIM 2.0 directory checked against what the connector relies on, read only. Facts from
 * RFC 7643 (schemas: core User, the enterprise extension `urn:ietf:params:scim:schemas:extension:
 * enterprise:2.0:User` with `employeeNumber`, `ServiceProviderConfig`) and RFC 7644 (`/Users` answers a
 * `urn:ietf:params:scim:api:messages:2.0:ListResponse` with integer `totalResults` and `Resources`,
 * 1-based `startIndex`, `count`; `filter` with `eq`), which the connector's lookups depend on.
 */
import type { PlainJson } from '../../canonical/strict-json.js';
import { checkFinding, type ContractFinding } from '../ports/contract-check.js';
import { ENTERPRISE_USER_SCHEMA, eqFilter, type ScimClient } from './client.js';

const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

type JsonObject = { readonly [key: string]: PlainJson };
const isObject = (value: PlainJson | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const schemasOf = (value: JsonObject): readonly PlainJson[] =>
  Array.isArray(value['schemas']) ? value['schemas'] : [];
/** An integer as the strict JSON reader hands it over (numbers kept as their text). */
const isInteger = (value: PlainJson | undefined): boolean =>
  (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^\d+$/.test(value));

export async function checkScimContract(client: ScimClient, signal?: AbortSignal): Promise<ContractFinding[]> {
  const findings: ContractFinding[] = [];
  findings.push(
    await checkFinding('GET ServiceProviderConfig: filtering supported', async () => {
      const config = await client.read('ServiceProviderConfig', {}, signal);
      if (!isObject(config) || !schemasOf(config).includes(SERVICE_PROVIDER_CONFIG_SCHEMA)) {
        return [`the answer does not carry the schema ${SERVICE_PROVIDER_CONFIG_SCHEMA}`];
      }
      const filter = config['filter'];
      return isObject(filter) && filter['supported'] === true
        ? []
        : ['filter.supported is not true: users cannot be found by employee number or login'];
    }),
  );
  let sample: JsonObject | undefined;
  findings.push(
    await checkFinding('GET Users: a ListResponse page', async () => {
      const page = await client.read('Users', { startIndex: 1, count: 1 }, signal);
      if (!isObject(page)) return ['the answer is not an object'];
      const problems: string[] = [];
      if (!schemasOf(page).includes(LIST_RESPONSE_SCHEMA)) problems.push(`schemas lacks ${LIST_RESPONSE_SCHEMA}`);
      if (!isInteger(page['totalResults'])) problems.push('totalResults is not an integer');
      const resources = page['Resources'] ?? [];
      if (!Array.isArray(resources)) problems.push('Resources is not a list');
      else if (resources.length > 1) problems.push(`count=1 answered ${resources.length} resources`);
      else if (isObject(resources[0])) sample = resources[0];
      return problems;
    }),
  );
  if (sample === undefined) {
    findings.push({ check: 'User resources', ok: true, detail: 'the directory holds no user to check' });
    return findings;
  }
  const user = sample;
  findings.push(
    await checkFinding('User: id, userName and the enterprise extension', async () => {
      const problems: string[] = [];
      if (typeof user['id'] !== 'string') problems.push('no id');
      if (typeof user['userName'] !== 'string') problems.push('no userName');
      const enterprise = user[ENTERPRISE_USER_SCHEMA];
      if (!isObject(enterprise) || typeof enterprise['employeeNumber'] !== 'string') {
        problems.push(`no ${ENTERPRISE_USER_SCHEMA}:employeeNumber (expense reports are matched to employees by it)`);
      }
      return problems;
    }),
  );
  const enterprise = user[ENTERPRISE_USER_SCHEMA];
  const employeeNumber = isObject(enterprise) ? enterprise['employeeNumber'] : undefined;
  if (typeof employeeNumber === 'string') {
    findings.push(
      await checkFinding('GET Users?filter=employeeNumber eq: finds the user', async () => {
        const found = await client.read(
          'Users',
          { filter: eqFilter(`${ENTERPRISE_USER_SCHEMA}:employeeNumber`, employeeNumber), startIndex: 1, count: 2 },
          signal,
        );
        const resources = isObject(found) && Array.isArray(found['Resources']) ? found['Resources'] : [];
        const ids = resources.filter(isObject).map((r) => r['id']);
        return ids.length === 1 && ids[0] === user['id']
          ? []
          : [`the filter answered ${ids.length} user(s) instead of the one carrying employee number ${employeeNumber}`];
      }),
    );
  }
  return findings;
}
