/**
 * Writes on the simulated tenant: POST creates (201 with the new id), PUT updates; `?exported=true`
 * (or false) on a PUT sets only the export flag and ignores the rest of the request, as Coupa does.
 * Validation answers Coupa's field errors. Each write says which `/_sim/documents` entries it makes.
 */
import type { SimDocument } from '../../sim-kit/documents.js';
import type { CollectionKey, CoupaEstate, CoupaRecord } from './estate.js';

type NewDocument = Omit<SimDocument, 'createdAt'>;
export type WriteOutcome =
  | { readonly ok: true; readonly record: CoupaRecord; readonly documents: readonly NewDocument[] }
  | { readonly ok: false; readonly field: string; readonly messages: readonly string[] };

const PROTECTED = new Set(['id', 'created-at', 'updated-at', 'exported', 'last-exported-at']);

function blank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function refused(field: string, message: string): WriteOutcome {
  return { ok: false, field, messages: [message] };
}

/** What a write makes visible at `/_sim/documents`. */
function documentsFor(collection: CollectionKey, record: CoupaRecord, before: CoupaRecord | undefined): NewDocument[] {
  if (collection === 'suppliers' && !blank(record['number']) && record['number'] !== before?.['number']) {
    return [
      {
        kind: 'write_back',
        id: String(record.id),
        reference: String(record['number']),
        lines: [],
        raw: { supplier: record.id, number: record['number'] },
      },
    ];
  }
  if (collection === 'lookupValues' || collection === 'accounts') {
    const reference = String(
      collection === 'accounts' ? record['code'] : (record['external-ref-code'] ?? record['name']),
    );
    const segment = record['segment-1'];
    return [
      {
        kind: 'lookup_value',
        id: String(record.id),
        reference,
        ...(typeof segment === 'string' ? { companyCode: segment } : {}),
        lines: [],
        raw: { ...record },
      },
    ];
  }
  if (collection === 'integrationHistoryRecords' || collection === 'integrationErrors') {
    return [
      {
        kind: 'integration_record',
        id: String(record.id),
        reference: String(record['document-id']),
        lines: [],
        raw: { ...record, collection },
      },
    ];
  }
  return [];
}

/** Checks a record as it would be after the write; answers a refusal or undefined. */
function validate(estate: CoupaEstate, collection: CollectionKey, record: CoupaRecord): WriteOutcome | undefined {
  const others = estate[collection].filter((r) => r.id !== record.id);
  switch (collection) {
    case 'suppliers':
      if (blank(record['name'])) return refused('name', "can't be blank");
      if (!blank(record['number']) && others.some((r) => r['number'] === record['number']))
        return refused('number', 'has already been taken');
      return undefined;
    case 'accounts': {
      if (blank(record['segment-1'])) return refused('account', "Segment 1 - Company can't be blank");
      if (blank(record['account-type'])) return refused('account-type', "can't be blank");
      const type = (record['account-type'] as { name?: unknown }).name;
      if (
        others.some(
          (r) => r['code'] === record['code'] && (r['account-type'] as { name?: unknown } | undefined)?.name === type,
        )
      ) {
        return refused('code', 'has already been taken');
      }
      return undefined;
    }
    case 'lookupValues': {
      if (blank(record['name'])) return refused('name', "can't be blank");
      const lookup = record['lookup'] as { id?: unknown; name?: unknown } | null | undefined;
      const known = estate.lookups.find((l) => l.id === lookup?.id || l['name'] === lookup?.name);
      if (known === undefined) return refused('lookup', "can't be blank");
      record['lookup'] = { id: known.id, name: known['name'] };
      const code = record['external-ref-code'];
      if (
        !blank(code) &&
        others.some((r) => r['external-ref-code'] === code && (r['lookup'] as { id?: unknown }).id === known.id)
      ) {
        return refused('external-ref-code', 'has already been taken');
      }
      return undefined;
    }
    case 'integrationHistoryRecords':
    case 'integrationErrors':
      for (const field of ['document-type', 'document-id', 'status'])
        if (blank(record[field])) return refused(field, "can't be blank");
      return undefined;
    default:
      return undefined;
  }
}

function withDerivedFields(collection: CollectionKey, record: CoupaRecord): CoupaRecord {
  if (collection === 'accounts') {
    const segments: string[] = [];
    for (let n = 1; n <= 20 && !blank(record[`segment-${n}`]); n++) segments.push(String(record[`segment-${n}`]));
    record['code'] = segments.join('-');
    record['active'] ??= true;
  }
  if (collection === 'lookupValues') record['active'] ??= true;
  return record;
}

export function createRecord(
  estate: CoupaEstate,
  collection: CollectionKey,
  body: Record<string, unknown>,
  now: string,
): WriteOutcome {
  const fields = Object.fromEntries(Object.entries(body).filter(([key]) => !PROTECTED.has(key)));
  const record = withDerivedFields(collection, { ...fields, id: estate.nextId, 'created-at': now, 'updated-at': now });
  if (collection === 'invoices' || collection === 'purchaseOrders') record['exported'] = false;
  const problem = validate(estate, collection, record);
  if (problem !== undefined) return problem;
  estate.nextId++;
  estate[collection].push(record);
  return { ok: true, record, documents: documentsFor(collection, record, undefined) };
}

export function updateRecord(
  estate: CoupaEstate,
  collection: CollectionKey,
  current: CoupaRecord,
  body: Record<string, unknown>,
  exported: string | null,
  now: string,
): WriteOutcome {
  if (exported === 'true' || exported === 'false') {
    current['exported'] = exported === 'true';
    if (exported === 'true') current['last-exported-at'] = now;
    current['updated-at'] = now;
    return { ok: true, record: current, documents: [] };
  }
  const before = { ...current };
  const fields = Object.fromEntries(Object.entries(body).filter(([key]) => !PROTECTED.has(key)));
  const next = withDerivedFields(collection, { ...current, ...fields, id: current.id, 'updated-at': now });
  // A new purchase order version must be exported again.
  if (collection === 'purchaseOrders' && fields['version'] !== undefined && fields['version'] !== before['version'])
    next['exported'] = false;
  const problem = validate(estate, collection, next);
  if (problem !== undefined) return problem;
  for (const key of Object.keys(current)) delete current[key];
  Object.assign(current, next);
  return { ok: true, record: current, documents: documentsFor(collection, current, before) };
}
