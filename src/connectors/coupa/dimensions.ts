/**
 * Accounts and lookup values as the suite holds them, read back for drift: an account's segments
 * in order (`segment-1` … until the first blank) under its account type (chart of accounts); a
 * lookup value under its lookup, keyed by `external-ref-num` (the ERP code it was published with;
 * `external-ref-code` is Coupa's computed path of those), or its name when it carries none. A record without `active` counts as active, as Coupa shows it.
 */
import { JsonNumber, ownValue, type JsonObject } from '../../canonical/strict-json.js';
import type { HeldDimensionValue } from '../ports/procurement-port.js';
import { optText, text } from './translate.js';

function nested(record: JsonObject, key: string): JsonObject | undefined {
  const value = ownValue(record, key);
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof JsonNumber)
    ? value
    : undefined;
}

export function toHeldAccount(record: JsonObject): HeldDimensionValue {
  const segments: string[] = [];
  for (let n = 1; n <= 20; n++) {
    const segment = optText(record, `segment-${n}`);
    if (segment === undefined) break;
    segments.push(segment);
  }
  return {
    kind: 'account',
    id: text(record, 'id'),
    chartOfAccounts: optText(nested(record, 'account-type'), 'name') ?? '',
    name: optText(record, 'name') ?? '',
    segments,
    active: ownValue(record, 'active') !== false,
  };
}

export function toHeldLookupValue(record: JsonObject): HeldDimensionValue {
  const name = optText(record, 'name') ?? '';
  return {
    kind: 'lookup_value',
    id: text(record, 'id'),
    lookup: optText(nested(record, 'lookup'), 'name') ?? '',
    code: optText(record, 'external-ref-num') ?? optText(record, 'external-ref-code') ?? name,
    name,
    active: ownValue(record, 'active') !== false,
  };
}
