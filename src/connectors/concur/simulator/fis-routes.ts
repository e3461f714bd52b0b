/**
 * The Financial Integration Service v4 as the simulator answers it, from the contract facts:
 * - GET transactions: only the published query parameters (`page` 0-based, `limit` default 25,
 *   `docId`, `ignoreDocumentStatus` yes|no, `systemId` up to 50 characters, and `size`, which the
 *   vendor's own paging links carry) and the header `DocumentFormatAs` text|json; the v4 envelope
 *   `{links, content, page}` with each `document` a JSON string unless `DocumentFormatAs: json`, or
 *   (option `legacyEnvelope`) the `{fIDocuments, offset, nextPage, numberReturned}` envelope of the
 *   published example documents.
 * - POST acknowledgements, postingconfirmations, paymentconfirmations: bodies checked against the
 *   published request models; answered HTTP 200 with a top-level array of per-item results
 *   `{code, docId, systemId, …Result, errorMessage, …}`.
 * FIS publishes no error body; 400s use the Spring Boot body its services answer with (assumption).
 */
import type { SimRequest, SimResponse } from '../../sim-kit/sim-server.js';
import { json } from '../../sim-kit/sim-server.js';
import { FIS_ITEM_RESULTS, FIS_REQUEST, FIS_REQUESTS } from '../concur-contract-facts.js';
import { field, isObject, list, parseFis, text, writeFis, type FisObject, type FisValue } from './fis-json.js';
import { ItemCode, paymentRefOf, type FisDocument, type FisQueue, type ItemResult } from './fis-queue.js';

export type FisOperation = (typeof FIS_REQUEST.operations)[number];

export function fisBadRequest(req: SimRequest, message: string): SimResponse {
  return json(400, { timestamp: new Date().toISOString(), status: 400, error: 'Bad Request', message, path: req.path });
}

/** The docType path value, or the 400 for one the contract does not list. */
export function refuseDocType(req: SimRequest): SimResponse | undefined {
  const docType = req.params['docType'] ?? '';
  if ((FIS_REQUEST.docTypes as readonly string[]).includes(docType)) return undefined;
  return fisBadRequest(req, `docType must be one of ${FIS_REQUEST.docTypes.join(', ')}; got ${docType}`);
}

function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function listDocuments(
  baseUrl: string,
  queue: FisQueue,
  req: SimRequest,
  docType: string,
  legacyEnvelope: boolean,
): SimResponse {
  // `size` is not a documented parameter, but the vendor's own paging links carry it.
  const known: readonly string[] = [...FIS_REQUEST.queryParameters, ...FIS_REQUEST.linkQueryParameters];
  const unknown = [...req.query.keys()].filter((k) => !known.includes(k));
  if (unknown.length > 0) return fisBadRequest(req, `unknown query parameter ${unknown.join(', ')}`);
  const page = Number(req.query.get('page') ?? String(FIS_REQUEST.firstPage));
  const limit = Number(req.query.get('limit') ?? String(FIS_REQUEST.defaultLimit));
  if (!Number.isInteger(page) || page < FIS_REQUEST.firstPage) return fisBadRequest(req, 'page must be 0 or more');
  if (!Number.isInteger(limit) || limit < 1) return fisBadRequest(req, 'limit must be 1 or more');
  const ignore = req.query.get('ignoreDocumentStatus');
  if (ignore !== null && !(FIS_REQUEST.ignoreDocumentStatusValues as readonly string[]).includes(ignore))
    return fisBadRequest(req, 'ignoreDocumentStatus must be yes or no');
  const systemId = req.query.get('systemId');
  if (systemId !== null && systemId.length > FIS_REQUEST.systemIdMaxLength)
    return fisBadRequest(req, `systemId is longer than ${FIS_REQUEST.systemIdMaxLength} characters`);
  const format = (header(req, FIS_REQUEST.documentFormatHeader) ?? 'text').toLowerCase();
  if (!(FIS_REQUEST.documentFormatValues as readonly string[]).includes(format))
    return fisBadRequest(req, 'DocumentFormatAs must be text or json');
  const all = queue
    .select(docType, req.query.get('docId'), ignore === 'yes')
    .filter((d) => systemId === null || d.erpSystemId === null || d.erpSystemId === systemId);
  const totalPages = Math.ceil(all.length / limit);
  const content = all.slice(page * limit, page * limit + limit);
  const entries = content.map((d) => entry(d, format === 'json' || legacyEnvelope));
  const href = (n: number): string => {
    const url = new URL(req.path, baseUrl);
    for (const [k, v] of req.query) url.searchParams.set(k, v);
    url.searchParams.set('page', String(n));
    url.searchParams.set('limit', String(limit));
    url.searchParams.set('size', String(limit));
    return url.toString();
  };
  if (legacyEnvelope) {
    const next = page + 1 < totalPages ? JSON.stringify(href(page + 1)) : 'null';
    return raw(
      `{"fIDocuments":[${entries.join(',')}],"offset":${page * limit},"nextPage":${next},"numberReturned":${content.length}}`,
    );
  }
  const link = (rel: string, n: number): string =>
    JSON.stringify({ rel, href: href(n), hreflang: null, media: null, title: null, type: null, deprecation: null });
  const links = [link('first', 0), link('self', page)];
  if (page + 1 < totalPages) links.push(link('next', page + 1));
  if (page > 0) links.push(link('prev', page - 1));
  links.push(link('last', Math.max(totalPages - 1, 0)));
  const pageInfo = JSON.stringify({ size: limit, totalElements: all.length, totalPages, number: page });
  return raw(`{"links":[${links.join(',')}],"content":[${entries.join(',')}],"page":${pageInfo}}`);
}

function raw(body: string): SimResponse {
  return { status: 200, headers: { 'content-type': 'application/json' }, body };
}

function entry(d: FisDocument, documentAsObject: boolean): string {
  const document = writeFis(d.document);
  return (
    `{"id":${JSON.stringify(d.id)},"docType":${JSON.stringify(d.docType)},"companyId":${JSON.stringify(d.companyId)},` +
    `"entityId":${JSON.stringify(d.entityId)},"companyUuid":${JSON.stringify(d.companyUuid)},` +
    `"erpSystemId":${JSON.stringify(d.erpSystemId)},"document":${documentAsObject ? document : JSON.stringify(document)},` +
    `"docStatus":${JSON.stringify(d.status)},"links":[]}`
  );
}

/** What is wrong with a body against a request model: a missing required key, an unknown key, a wrong type. */
function modelProblem(
  value: FisValue | undefined,
  model: { readonly keys: readonly string[]; readonly required?: readonly string[] },
  path: string,
): string | undefined {
  if (!isObject(value)) return `${path} must be an object`;
  for (const key of Object.keys(value))
    if (!model.keys.includes(key)) return `${path}.${key} is not a field of the request model`;
  for (const key of model.required ?? []) if (field(value, key) === undefined) return `${path}.${key} is required`;
  return undefined;
}

function stringProblem(value: FisValue | undefined, path: string, optional = false): string | undefined {
  if (value === undefined && optional) return undefined;
  return typeof value === 'string' ? undefined : `${path} must be a string`;
}

function arrayOf(
  value: FisValue | undefined,
  path: string,
  check: (item: FisValue, path: string) => string | undefined,
): string | undefined {
  if (!Array.isArray(value)) return `${path} must be an array`;
  for (const [i, item] of value.entries()) {
    const problem = check(item, `${path}[${i}]`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** An object, or (as the Swagger types `receiver` and `clearingReference`) an array of objects. */
function objectOrArray(
  value: FisValue | undefined,
  model: { readonly keys: readonly string[] },
  path: string,
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return arrayOf(value, path, (v, p) => modelProblem(v, model, p));
  return modelProblem(value, model, path);
}

const R = FIS_REQUESTS;

function postingItemProblem(item: FisValue, path: string): string | undefined {
  return (
    modelProblem(item, R.postingItem, path) ??
    stringProblem(field(item, 'docId'), `${path}.docId`) ??
    stringProblem(field(item, 'overallPostingStatusCode'), `${path}.overallPostingStatusCode`) ??
    arrayOf(field(item, 'postingDocs'), `${path}.postingDocs`, (d, p) => modelProblem(d, R.postingDoc, p)) ??
    arrayOf(
      field(item, 'systemMessages'),
      `${path}.systemMessages`,
      (m, p) =>
        modelProblem(m, R.systemMessage, p) ??
        textProblem(field(m, 'messageShortText'), `${p}.messageShortText`) ??
        textProblem(field(m, 'messageLongText'), `${p}.messageLongText`),
    )
  );
}

/** A message text over the published maximum (1300 characters); absent or empty is accepted. */
function textProblem(value: FisValue | undefined, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && !Array.isArray(value)) return `${path} must be a string`;
  const length =
    typeof value === 'string' ? value.length : value.map((v) => (typeof v === 'string' ? v : '')).join('').length;
  return length > R.systemMessage.textMaxLength
    ? `${path} is longer than ${R.systemMessage.textMaxLength} characters`
    : undefined;
}

function paymentItemProblem(item: FisValue, path: string): string | undefined {
  return (
    modelProblem(item, R.paymentItem, path) ??
    stringProblem(field(item, 'docId'), `${path}.docId`) ??
    stringProblem(field(item, 'processingStatusCode'), `${path}.processingStatusCode`) ??
    stringProblem(field(item, 'additionalMessage'), `${path}.additionalMessage`, true) ??
    arrayOf(
      field(item, 'clearingDetails'),
      `${path}.clearingDetails`,
      (d, p) =>
        modelProblem(d, R.clearingDetail, p) ??
        objectOrArray(field(d, 'receiver'), R.receiver, `${p}.receiver`) ??
        objectOrArray(field(d, 'clearingReference'), R.clearingReference, `${p}.clearingReference`),
    )
  );
}

/** The body's problem against the operation's published request model, or undefined. */
export function requestProblem(operation: FisOperation, body: FisValue | undefined): string | undefined {
  if (operation === 'acknowledgements')
    return (
      modelProblem(body, R.acknowledge, 'body') ??
      arrayOf(field(body, 'ids'), 'body.ids', (id, p) => stringProblem(id, p)) ??
      stringProblem(field(body, 'systemId'), 'body.systemId')
    );
  if (operation === 'postingconfirmations')
    return (
      modelProblem(body, R.postingConfirmation, 'body') ??
      stringProblem(field(body, 'systemId'), 'body.systemId') ??
      arrayOf(field(body, 'postingConfirmations'), 'body.postingConfirmations', postingItemProblem)
    );
  return (
    modelProblem(body, R.paymentConfirmation, 'body') ??
    stringProblem(field(body, 'systemId'), 'body.systemId') ??
    arrayOf(field(body, 'processingConfirmation'), 'body.processingConfirmation', paymentItemProblem)
  );
}

export function parseBody(req: SimRequest): FisValue | undefined {
  try {
    return parseFis(req.body);
  } catch {
    return undefined;
  }
}

const POSTING_RESULTS: Readonly<Record<number, string>> = {
  [ItemCode.OK]: 'SUCCESS',
  [ItemCode.NOT_ACKNOWLEDGED]: 'NOT_YET_ACKNOWLEDGED',
  [ItemCode.RECALLED_AFTER_ACK]: 'WAS_RECALLED',
  [ItemCode.NOT_FOUND_FOR_CONFIRMATION]: 'DOCUMENT_NOT_FOUND',
  [ItemCode.UNKNOWN]: 'SYSTEM_ERROR_OCCURRED',
};
const PAYMENT_RESULTS: Readonly<Record<number, string>> = {
  [ItemCode.OK]: 'SUCCESS',
  [ItemCode.NOOP]: 'NOOP',
  [ItemCode.NOT_READY]: 'NOT_POSTING_CONFIRMED',
  [ItemCode.NOT_FOUND_FOR_CONFIRMATION]: 'DOCUMENT_NOT_FOUND',
  [ItemCode.UNKNOWN]: 'SYSTEM_ERROR_OCCURRED',
};

/** One per-item result in the published shape of the operation's answer. */
export function publishedItem(operation: FisOperation, result: ItemResult, item?: FisObject): Record<string, unknown> {
  const base = { code: result.code, docId: result.docId, systemId: result.systemId };
  if (operation === 'acknowledgements')
    return {
      ...base,
      [FIS_ITEM_RESULTS.acknowledge.resultKey]: result.code === ItemCode.OK ? 'SUCCESS' : 'FAILURE',
      errorMessage: result.message,
    };
  if (operation === 'postingconfirmations')
    return {
      ...base,
      [FIS_ITEM_RESULTS.postingConfirmation.resultKey]: POSTING_RESULTS[result.code] ?? 'FAILURE',
      errorMessage: result.message,
      detailMessage: '',
    };
  return {
    ...base,
    [FIS_ITEM_RESULTS.paymentConfirmation.resultKey]: PAYMENT_RESULTS[result.code] ?? 'FAILURE',
    errorMessage: result.code === ItemCode.OK ? null : result.message,
    paymentRef: item === undefined ? null : (paymentRefOf(item, 'paymentRef') ?? null),
    detailMessage: '',
  };
}

/** The items of a checked body, as objects. */
export function itemsOf(operation: FisOperation, body: FisValue | undefined): FisObject[] {
  const key = operation === 'postingconfirmations' ? 'postingConfirmations' : 'processingConfirmation';
  return list(field(body, key)).filter(isObject);
}

export function systemIdOf(body: FisValue | undefined): string {
  return text(field(body, 'systemId')) ?? '';
}
