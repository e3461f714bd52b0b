/**
 * Coupa checked, read only, against what the connector relies on (coupa-contract-facts.ts): the
 * scopes the token grants against those the connector asks for, and one record of every collection
 * it reads (`limit=1`): each field the connector relies on of the kind the R39 model states (string,
 * number, boolean, object, list; enum values where the model lists them), and present when the model
 * requires it (an absent optional field is not a difference: answers leave empty fields out).
 */
import { JsonNumber, type JsonObject, type JsonValue } from '../../canonical/strict-json.js';
import { checkFinding, type ContractFinding } from '../ports/contract-check.js';
import { COUPA_CONNECTOR_SCOPES, type CoupaClient } from './client.js';
import { COUPA_ENDPOINTS, COUPA_MODELS } from './coupa-contract-facts.js';

/** A field's value against its notation (`string:date-time`, `integer`, `Model`, `Model[]`, ` ro`, ` enum(a|b)`). */
function fieldDifference(
  name: string,
  notation: string,
  value: JsonValue | undefined,
  required: boolean,
): string | undefined {
  if (value === undefined) return required ? `${name} (required in the model) is missing` : undefined;
  if (value === null) return undefined;
  const enumValues = /enum\(([^)]*)\)/.exec(notation)?.[1]?.split('|');
  const base = notation
    .replace(/\s+ro\b/, '')
    .replace(/\s*enum\([^)]*\)/, '')
    .trim();
  const type = base.split(':')[0]!;
  const isNumber = value instanceof JsonNumber || typeof value === 'number';
  const ok = type.endsWith('[]')
    ? Array.isArray(value)
    : type === 'string'
      ? typeof value === 'string'
      : type === 'integer' || type === 'number'
        ? isNumber || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
        : type === 'boolean'
          ? typeof value === 'boolean'
          : typeof value === 'object' && !Array.isArray(value) && !isNumber;
  if (!ok) return `${name} is not ${base}`;
  if (enumValues !== undefined && typeof value === 'string' && !enumValues.includes(value))
    return `${name} is ${value}, not one of ${enumValues.join(', ')}`;
  return undefined;
}

function recordDifferences(record: JsonObject, model: string): string[] {
  const fact = COUPA_MODELS[model];
  const fields = fact?.fields ?? {};
  return Object.entries(fields).flatMap(([name, notation]) => {
    const difference = fieldDifference(name, notation, record[name], fact?.required.includes(name) === true);
    return difference === undefined ? [] : [difference];
  });
}

export async function checkCoupaContract(client: CoupaClient, signal?: AbortSignal): Promise<ContractFinding[]> {
  const findings: ContractFinding[] = [];
  findings.push(
    await checkFinding('token: the scopes the connector asks for', async () => {
      const token = await client.oauth.getToken();
      const granted = String(token.fields['scope'] ?? '')
        .split(/\s+/)
        .filter(Boolean);
      const missing = COUPA_CONNECTOR_SCOPES.filter((s) => !granted.includes(s));
      return missing.length === 0 ? [] : [`not granted: ${missing.join(' ')}`];
    }),
  );
  for (const endpoint of COUPA_ENDPOINTS.filter((e) => e.method === 'GET')) {
    const check = `GET ${endpoint.path}?limit=1: ${endpoint.model} fields the connector reads`;
    findings.push(
      await checkFinding(check, async () => {
        const [record] = await client.list(endpoint.path.replace(/^\//, ''), { limit: 1 }, signal);
        return record === undefined
          ? { differences: [], note: 'no record to check' }
          : recordDifferences(record, endpoint.model);
      }),
    );
  }
  return findings;
}
