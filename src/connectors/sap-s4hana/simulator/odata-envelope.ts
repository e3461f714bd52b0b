/**
 * OData v2 JSON as SAP Gateway answers it: `{"d":{"results":[…],"__count","__next"}}` for collections
 * (server-side paging with `$skiptoken`, client paging with `$top`/`$skip`, `$inlinecount=allpages`,
 * `$orderby`), `{"d":{…}}` for one entity with `__metadata{id,uri,type,etag}`, navigations deferred
 * unless `$expand`ed, and the Gateway error body.
 */
import { randomUUID } from 'node:crypto';
import { json, type SimRequest, type SimResponse } from '../../sim-kit/sim-server.js';
import type { EntitySetFact, ODataServiceFact } from '../contract-facts/index.js';
import { FilterError, parseFilter } from './odata-filter.js';

export type Entity = Record<string, unknown>;

export interface EntitySet {
  /** Absolute service root path, e.g. `/sap/opu/odata/sap/API_BUSINESS_PARTNER`. */
  readonly service: string;
  readonly name: string;
  /** Entity type in `__metadata.type`, e.g. `API_BUSINESS_PARTNER.A_BusinessPartnerType`. */
  readonly type: string;
  /** The key predicate, e.g. `'17300001'` or `ControllingArea='A000',CostCenter='10101101'`. */
  readonly key: (entity: Entity) => string;
  /** Types of navigation targets by navigation name (for nested `__metadata`). */
  readonly navigationTypes?: Readonly<Record<string, string>>;
  /** The metadata of the set: only its properties and navigations are answered. */
  readonly contract?: Contract;
}

/** The metadata an entity is answered by, and the `$select` of the request (top level only). */
export interface Contract {
  readonly service: ODataServiceFact;
  readonly set: EntitySetFact;
  readonly select?: ReadonlySet<string>;
}

function selectOf(request: SimRequest): ReadonlySet<string> | undefined {
  const text = request.query.get('$select');
  if (text === null || text.trim() === '') return undefined;
  const names = text.split(',').map((p) => p.trim().split('/')[0] ?? '');
  return names.includes('*') ? undefined : new Set(names);
}

function withSelect(contract: Contract | undefined, request: SimRequest): Contract | undefined {
  const select = selectOf(request);
  return contract === undefined || select === undefined ? contract : { ...contract, select };
}

function childContract(contract: Contract | undefined, navigation: string): Contract | undefined {
  const target = contract?.set.navigations?.[navigation]?.target;
  const set = target === undefined ? undefined : contract?.service.entitySets[target];
  return contract === undefined || set === undefined ? undefined : { service: contract.service, set };
}

export function odataError(
  status: number,
  code: string,
  message: string,
  details: readonly { code: string; message: string; propertyref?: string }[] = [],
): SimResponse {
  return json(status, {
    error: {
      code,
      message: { lang: 'en', value: message },
      innererror: {
        transactionid: randomUUID().replace(/-/g, '').toUpperCase(),
        timestamp: new Date().toISOString().replace(/\D/g, '').slice(0, 14),
        errordetails: [
          { code, message, propertyref: '', severity: 'error', target: '' },
          ...details.map((d) => ({
            code: d.code,
            message: d.message,
            propertyref: d.propertyref ?? '',
            severity: 'error',
            target: d.propertyref ?? '',
          })),
        ],
      },
    },
  });
}

/** Absolute origin the client used, for `__metadata.uri` and `__next`. */
export function originOf(request: SimRequest): string {
  return `http://${request.headers.host ?? '127.0.0.1'}`;
}

type ExpandTree = Map<string, ExpandTree>;

function expandTree(text: string | null): ExpandTree {
  const root: ExpandTree = new Map();
  for (const path of (text ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    let node = root;
    for (const part of path.split('/')) {
      let child = node.get(part);
      if (child === undefined) {
        child = new Map();
        node.set(part, child);
      }
      node = child;
    }
  }
  return root;
}

/** One entity as JSON: scalars as stored, `to_*` navigations expanded or deferred. */
export function serialize(
  entity: Entity,
  uri: string,
  type: string,
  expand: ExpandTree,
  navigationTypes: Readonly<Record<string, string>> = {},
  etag?: string,
  contract?: Contract,
): Entity {
  const out: Entity = { __metadata: { id: uri, uri, type, ...(etag === undefined ? {} : { etag }) } };
  for (const [key, value] of Object.entries(entity)) {
    const sub = expand.get(key);
    if (contract?.select !== undefined && !contract.select.has(key) && sub === undefined) continue;
    if (!key.startsWith('to_')) {
      if (contract === undefined || contract.set.properties[key] !== undefined) out[key] = value;
      continue;
    }
    if (contract !== undefined && contract.set.navigations?.[key] === undefined) continue;
    const child = childContract(contract, key);
    const navUri = `${uri}/${key}`;
    if (sub === undefined) {
      out[key] = { __deferred: { uri: navUri } };
    } else if (Array.isArray(value)) {
      out[key] = {
        results: value.map((entry: Entity, i) =>
          serialize(entry, `${navUri}(${i + 1})`, navigationTypes[key] ?? key, sub, navigationTypes, undefined, child),
        ),
      };
    } else if (value !== null && typeof value === 'object') {
      out[key] = serialize(
        value as Entity,
        navUri,
        navigationTypes[key] ?? key,
        sub,
        navigationTypes,
        undefined,
        child,
      );
    } else {
      out[key] = null;
    }
  }
  return out;
}

export function etagOf(entity: Entity): string | undefined {
  const value = entity['ETag'] ?? entity['LastChangeDateTime'];
  return typeof value === 'string' && value !== '' ? `W/"'${encodeURIComponent(value)}'"` : undefined;
}

export interface CollectionOptions {
  /** Server page size: more than this and the answer carries `__next` with a `$skiptoken`. */
  readonly pageSize: number;
}

/** A GET on an entity set: filter, order, page, count, expand. */
export function collection(
  request: SimRequest,
  set: EntitySet,
  all: readonly Entity[],
  options: CollectionOptions,
): SimResponse {
  let rows: Entity[];
  try {
    const filter = request.query.get('$filter');
    rows = filter === null || filter.trim() === '' ? [...all] : all.filter(parseFilter(filter));
  } catch (error) {
    if (error instanceof FilterError)
      return odataError(400, '/IWBEP/CM_MGW_RT/004', `Invalid filter expression: ${error.message}`);
    throw error;
  }
  const orderBy = request.query.get('$orderby');
  if (orderBy !== null && orderBy.trim() !== '') {
    const keys = orderBy.split(',').map((part) => {
      const [field = '', dir = 'asc'] = part.trim().split(/\s+/);
      return { field, sign: dir.toLowerCase() === 'desc' ? -1 : 1 };
    });
    rows.sort((a, b) => {
      for (const { field, sign } of keys) {
        const x = String(a[field] ?? '');
        const y = String(b[field] ?? '');
        if (x !== y) return x < y ? -sign : sign;
      }
      return 0;
    });
  }
  const count = rows.length;
  const skip = nonNegative(request.query.get('$skip'));
  const token = nonNegative(request.query.get('$skiptoken'));
  const topText = request.query.get('$top');
  const top = topText === null ? rows.length : nonNegative(topText);
  if (skip === undefined || token === undefined || top === undefined)
    return odataError(400, '/IWBEP/CM_MGW_RT/021', 'Invalid value for $skip, $top or $skiptoken');
  const windowEnd = Math.min(rows.length, skip + top);
  const start = skip + token;
  const end = Math.min(windowEnd, start + options.pageSize);
  const origin = originOf(request);
  const expand = expandTree(request.query.get('$expand'));
  const results = rows.slice(start, end).map((entity) => {
    const uri = `${origin}${set.service}/${set.name}(${set.key(entity)})`;
    return serialize(
      entity,
      uri,
      set.type,
      expand,
      set.navigationTypes,
      etagOf(entity),
      withSelect(set.contract, request),
    );
  });
  const d: Entity = { results };
  if (request.query.get('$inlinecount') === 'allpages') d['__count'] = String(count);
  if (end < windowEnd) {
    const next = new URLSearchParams(request.query);
    next.set('$skiptoken', String(end - skip));
    const query = [...next].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
    d['__next'] = `${origin}${request.path}?${query}`;
  }
  return json(200, { d });
}

/** A GET on one entity by key, with its ETag header. */
export function single(request: SimRequest, set: EntitySet, entity: Entity | undefined): SimResponse {
  if (entity === undefined)
    return odataError(404, '/IWBEP/CM_MGW_RT/020', `Resource not found for segment '${set.name}'`);
  const etag = etagOf(entity);
  const uri = `${originOf(request)}${set.service}/${set.name}(${set.key(entity)})`;
  const body = {
    d: serialize(
      entity,
      uri,
      set.type,
      expandTree(request.query.get('$expand')),
      set.navigationTypes,
      etag,
      withSelect(set.contract, request),
    ),
  };
  return json(200, body, etag === undefined ? {} : { etag });
}

/** A created entity (201) with its navigations expanded as they were sent. */
export function created(request: SimRequest, set: EntitySet, entity: Entity, expandPaths: string): SimResponse {
  const uri = `${originOf(request)}${set.service}/${set.name}(${set.key(entity)})`;
  const etag = etagOf(entity);
  return {
    ...json(
      201,
      { d: serialize(entity, uri, set.type, expandTree(expandPaths), set.navigationTypes, etag, set.contract) },
      { location: uri, ...(etag === undefined ? {} : { etag }) },
    ),
    committed: true,
  };
}

function nonNegative(text: string | null): number | undefined {
  if (text === null) return 0;
  if (!/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/** `/Date(ms)/` for a calendar date `YYYY-MM-DD` (Edm.DateTime at midnight UTC). */
export function sapDate(isoDate: string): string {
  return `/Date(${Date.parse(`${isoDate}T00:00:00Z`)})/`;
}

/** `/Date(ms+0000)/` for an instant (Edm.DateTimeOffset). */
export function sapTimestamp(iso: string): string {
  return `/Date(${Date.parse(iso)}+0000)/`;
}

/** `YYYY-MM-DD` of an OData date value, or undefined. */
export function isoDateOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(value);
  if (match !== null) return new Date(Number(match[1])).toISOString().slice(0, 10);
  return /^\d{4}-\d\d-\d\d/.test(value) ? value.slice(0, 10) : undefined;
}
