/**
 * Writes on the simulated tenant: POST creates (201 with the new id), PUT updates, each body checked
 * against the resource's model (coupa-models.ts): a read-only field, an unknown field, a value of the
 * wrong type or outside its list is refused before anything changes. `PUT …?exported=true` is the
 * special action (Compass "Special Actions and API Notes"): it sets only the export flag and ignores
 * the rest of the request. Refusals carry Coupa's messages under the object's name. Each write says
 * which `/_sim/documents` entries it makes.
 */
import type { SimDocument } from '../../sim-kit/documents.js';
import type { CollectionKey, CoupaEstate, CoupaRecord } from './estate.js';
import { checkBody, humanize, modelOf } from './write-checks.js';

type NewDocument = Omit<SimDocument, 'createdAt'>;
export type WriteOutcome =
  | { readonly ok: true; readonly record: CoupaRecord; readonly documents: readonly NewDocument[] }
  | { readonly ok: false; readonly object: string; readonly messages: readonly string[] };

function blank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function refused(collection: CollectionKey, field: string, message: string): WriteOutcome {
  return { ok: false, object: modelOf(collection).object, messages: [`${humanize(field)} ${message}`] };
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
  if (collection === 'invoices' && record['paid'] === true && before?.['paid'] !== true) {
    return [
      {
        kind: 'payment_confirmation',
        id: String(record.id),
        reference: String(record.id),
        lines: [],
        raw: { invoice: record.id, paid: true, 'payment-date': record['payment-date'] },
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
      if (blank(record['name'])) return refused(collection, 'name', "can't be blank");
      if (!blank(record['number']) && others.some((r) => r['number'] === record['number']))
        return refused(collection, 'number', 'has already been taken');
      return undefined;
    case 'accounts': {
      if (blank(record['segment-1'])) return refused(collection, 'segment-1', "can't be blank");
      if (blank(record['account-type'])) return refused(collection, 'account-type', "can't be blank");
      const type = (record['account-type'] as { name?: unknown }).name;
      if (
        others.some(
          (r) => r['code'] === record['code'] && (r['account-type'] as { name?: unknown } | undefined)?.name === type,
        )
      ) {
        return refused(collection, 'code', 'has already been taken');
      }
      return undefined;
    }
    case 'lookupValues': {
      if (blank(record['name'])) return refused(collection, 'name', "can't be blank");
      const lookup = record['lookup'] as { id?: unknown; name?: unknown } | null | undefined;
      const known = estate.lookups.find((l) => l.id === lookup?.id || l['name'] === lookup?.name);
      if (known === undefined) return refused(collection, 'lookup', "can't be blank");
      record['lookup'] = { id: known.id, name: known['name'] };
      const parent = record['parent'] as { id?: unknown } | null | undefined;
      const parentRecord = parent?.id === undefined ? undefined : others.find((r) => r.id === Number(parent.id));
      if (parent !== null && parent !== undefined && parentRecord === undefined)
        return refused(collection, 'parent', 'is not a known lookup value');
      // "A concatenation of the External Ref Num fields starting with the root" (Compass 0061); the
      // separator is not documented, "|" is the simulator's choice.
      const num = blank(record['external-ref-num']) ? String(record['name']) : String(record['external-ref-num']);
      record['external-ref-code'] =
        parentRecord === undefined ? num : `${String(parentRecord['external-ref-code'])}|${num}`;
      const code = record['external-ref-code'];
      if (
        !blank(code) &&
        others.some((r) => r['external-ref-code'] === code && (r['lookup'] as { id?: unknown }).id === known.id)
      ) {
        return refused(collection, 'external-ref-code', 'has already been taken');
      }
      return undefined;
    }
    default:
      for (const field of modelOf(collection).required)
        if (blank(record[field])) return refused(collection, field, "can't be blank");
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
  const problem = checkBody(modelOf(collection), body);
  if (problem !== undefined) return { ok: false, ...problem };
  const record = withDerivedFields(collection, { 'created-at': now, ...body, id: estate.nextId, 'updated-at': now });
  if (collection === 'invoices' || collection === 'purchaseOrders') record['exported'] = false;
  const invalid = validate(estate, collection, record);
  if (invalid !== undefined) return invalid;
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
  if (exported === 'true') {
    current['exported'] = true;
    current['last-exported-at'] = now;
    current['updated-at'] = now;
    return { ok: true, record: current, documents: [] };
  }
  const problem = checkBody(modelOf(collection), body);
  if (problem !== undefined) return { ok: false, ...problem };
  const before = { ...current };
  const fields = body;
  const next = withDerivedFields(collection, { ...current, ...fields, id: current.id, 'updated-at': now });
  // A new purchase order version must be exported again.
  if (collection === 'purchaseOrders' && fields['version'] !== undefined && fields['version'] !== before['version'])
    next['exported'] = false;
  const invalid = validate(estate, collection, next);
  if (invalid !== undefined) return invalid;
  for (const key of Object.keys(current)) delete current[key];
  Object.assign(current, next);
  return { ok: true, record: current, documents: documentsFor(collection, current, before) };
}
