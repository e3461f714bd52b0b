/**
 * A Business Central online simulator (API v2.0, OData v4) on a real port: the Microsoft identity
 * platform's client-credentials token endpoint (`/{tenant}/oauth2/v2.0/token`, scope
 * `https://api.businesscentral.dynamics.com/.default`), and the API at
 * `/v2.0/{tenant}/{environment}/api/v2.0/companies({id})/…` with bearer tokens, collections and
 * paging, `$filter`, creates and updates checked against the published resources, If-Match on every
 * PATCH and DELETE, `Microsoft.NAV.post` on purchase invoices and journals, vendor ledger entries, and
 * attachments. Test-only surface: `/_sim/seed` (page size, payments, locked periods, vendor blocks).
 */
import { randomBytes } from 'node:crypto';
import { json, SimServer, type SimRequest, type SimResponse } from '../../sim-kit/sim-server.js';
import { BC_RESOURCES, BC_TOKEN_SCOPE, type BcResourceFact, type BcResourceName } from '../bc-contract-facts.js';
import { DEMO_CLIENT, ENVIRONMENT, TENANT } from './bc-estate.js';
import {
  BcRefusal,
  bodyObject,
  checkBody,
  etagOf,
  matches,
  odataError,
  page,
  parseFilter,
  refuse,
  withEtag,
  type BcRecord,
} from './bc-odata.js';
import { payDocument, postJournal, postPurchaseInvoice } from './bc-posting.js';
import { CHILDREN, create, factOf, remove, update } from './bc-resources.js';
import { BcState, table, type CompanyState } from './bc-state.js';

export interface BcSeed {
  readonly pageSize?: number;
  /** A payment run: pays the open vendor ledger entries of each posted document number. */
  readonly payments?: readonly { readonly company: string; readonly documentNumber: string; readonly date: string }[];
  /** Locks or unlocks posting in a period (YYYY-MM). */
  readonly periods?: readonly { readonly company: string; readonly period: string; readonly locked: boolean }[];
  readonly vendorBlocks?: readonly {
    readonly company: string;
    readonly number: string;
    readonly blocked: ' ' | 'Payment' | 'All';
  }[];
}

const SEGMENT = /^([A-Za-z.]+)(?:\(([^)]*)\))?$/;

export function createBcSimulator(): { server: SimServer; state: BcState } {
  const state = new BcState();
  const tokens = new Map<string, number>();
  const server = new SimServer('business-central', {
    reset: () => state.reset(),
    seed: (body) => seed(state, body as BcSeed),
  });

  server.route('POST', '/:tenant/oauth2/v2.0/token', (req) => token(req, tokens));
  for (const method of ['GET', 'POST', 'PATCH', 'DELETE'])
    server.route(method, '/v2.0/:tenant/:environment/api/v2.0/*', (req) => {
      try {
        if (req.params['tenant'] !== TENANT || req.params['environment'] !== ENVIRONMENT)
          return odataError(
            404,
            'BadRequest_ResourceNotFound',
            `Environment ${req.params['environment']} of tenant ${req.params['tenant']} does not exist.`,
          );
        const bearer = /^Bearer (.+)$/.exec(String(req.headers['authorization'] ?? ''))?.[1];
        const issued = bearer === undefined ? undefined : tokens.get(bearer);
        if (issued === undefined || issued < server.faults.tokensIssuedBefore)
          return odataError(
            401,
            'Authentication_InvalidCredentials',
            'The server has rejected the client credentials.',
          );
        return api(state, server, req);
      } catch (error) {
        if (error instanceof BcRefusal) return odataError(error.status, error.code, error.message);
        throw error;
      }
    });
  return { server, state };
}

function token(req: SimRequest, tokens: Map<string, number>): SimResponse {
  const form = new URLSearchParams(req.body);
  const basic = /^Basic (.+)$/.exec(String(req.headers['authorization'] ?? ''))?.[1];
  const [basicId, basicSecret] = basic === undefined ? [] : Buffer.from(basic, 'base64').toString('utf8').split(':');
  const clientId = form.get('client_id') ?? basicId;
  const secret = form.get('client_secret') ?? basicSecret;
  if (req.params['tenant'] !== TENANT)
    return json(400, {
      error: 'invalid_request',
      error_description: `AADSTS90002: Tenant '${req.params['tenant']}' not found.`,
    });
  if (form.get('grant_type') !== 'client_credentials')
    return json(400, {
      error: 'unsupported_grant_type',
      error_description: 'AADSTS70003: The app requested an unsupported grant type.',
    });
  if (clientId !== DEMO_CLIENT.clientId || secret !== DEMO_CLIENT.clientSecret)
    return json(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
  if (form.get('scope') !== BC_TOKEN_SCOPE)
    return json(400, {
      error: 'invalid_scope',
      error_description: `AADSTS70011: The provided value for scope ${form.get('scope') ?? ''} is not valid.`,
    });
  const accessToken = randomBytes(24).toString('base64url');
  tokens.set(accessToken, Date.now());
  return json(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken });
}

function seed(state: BcState, body: BcSeed): void {
  const company = (name: string): CompanyState => {
    const found = state.companyByName(name);
    if (found === undefined) throw new Error(`no company ${name}`);
    return found;
  };
  if (body.pageSize !== undefined) state.pageSize = body.pageSize;
  for (const p of body.payments ?? []) payDocument(company(p.company), p.documentNumber, p.date);
  for (const p of body.periods ?? []) {
    const c = company(p.company);
    if (p.locked) c.closedPeriods.add(p.period);
    else c.closedPeriods.delete(p.period);
    const row = table(c, 'accountingPeriods').find((r) => r['startingDate'] === `${p.period}-01`);
    if (row !== undefined) row['dateLocked'] = p.locked;
  }
  for (const b of body.vendorBlocks ?? []) {
    const vendor = table(company(b.company), 'vendors').find((v) => v['number'] === b.number);
    if (vendor !== undefined)
      Object.assign(vendor, { blocked: b.blocked, lastModifiedDateTime: new Date().toISOString() });
  }
}

interface Step {
  readonly set: string;
  readonly key: string | undefined;
}

function keyOf(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  return raw.replace(/^'(.*)'$/, '$1').toLowerCase();
}

function api(state: BcState, server: SimServer, req: SimRequest): SimResponse {
  const rest = req.path.replace(/^\/v2\.0\/[^/]+\/[^/]+\/api\/v2\.0\/?/, '');
  const steps: Step[] = rest
    .split('/')
    .filter((s) => s !== '')
    .map((segment) => {
      const match = SEGMENT.exec(decodeURIComponent(segment));
      if (match === null) return refuse(404, 'BadRequest_NotFound', `Resource not found for the segment '${segment}'.`);
      return { set: match[1]!, key: keyOf(match[2]) };
    });
  const self = `${server.url}${req.path}${req.query.size > 0 ? `?${req.query.toString()}` : ''}`;
  const [first, ...inner] = steps;
  if (first?.set !== 'companies')
    return refuse(404, 'BadRequest_ResourceNotFound', `Resource not found for the segment '${first?.set ?? ''}'.`);
  if (first.key === undefined) {
    if (req.method !== 'GET')
      return refuse(405, 'BadRequest_MethodNotAllowed', `'${req.method}' requests for 'companies' are not allowed.`);
    const fact = BC_RESOURCES.companies as BcResourceFact;
    const rows = state.companies
      .map(companyRecord)
      .filter((r) => matches(r, parseFilter(req.query.get('$filter'), fact)));
    return json(200, page(rows, req.query, self, state.pageSize));
  }
  const company = state.company(first.key);
  if (company === undefined) return refuse(404, 'BadRequest_NotFound', `The company ${first.key} does not exist.`);
  if (inner.length === 0) return json(200, withEtag(companyRecord(company)));
  let parent: { set: string; record: BcRecord } | undefined;
  for (const [index, step] of inner.entries()) {
    const last = index === inner.length - 1;
    if (last && step.set === 'Microsoft.NAV.post') return action(company, server, req, parent);
    if (last && step.set === 'attachmentContent' && parent?.set === 'documentAttachments')
      return content(req, parent.record);
    const fact = factOf(step.set);
    if (fact === undefined || (parent !== undefined && CHILDREN[parent.set]?.[step.set] === undefined))
      return refuse(404, 'BadRequest_NotFound', `Resource not found for the segment '${step.set}'.`);
    const rows = childRows(company, step.set, parent);
    if (step.key === undefined) {
      if (!last) return refuse(404, 'BadRequest_NotFound', `Resource not found for the segment '${step.set}'.`);
      return collection(company, server, req, self, step.set as BcResourceName, fact, rows, parent, state.pageSize);
    }
    const record = rows.find((r) => String(r['id'] ?? r['entryNumber']).toLowerCase() === step.key);
    if (record === undefined)
      return refuse(404, 'BadRequest_NotFound', `The ${step.set} record ${step.key} does not exist.`);
    if (last) return single(company, req, step.set, fact, record);
    parent = { set: step.set, record };
  }
  return refuse(404, 'BadRequest_NotFound', 'Resource not found.');
}

function companyRecord(company: CompanyState): BcRecord {
  return {
    id: company.id,
    systemVersion: '26.0',
    timestamp: 1,
    name: company.seed.name,
    displayName: company.seed.displayName,
    businessProfileId: '',
    systemCreatedAt: '2023-01-01T00:00:00Z',
    systemCreatedBy: '00000000-0000-0000-0000-000000000001',
    systemModifiedAt: '2024-06-01T08:00:00Z',
    systemModifiedBy: '00000000-0000-0000-0000-000000000001',
  };
}

function childRows(
  company: CompanyState,
  set: string,
  parent: { set: string; record: BcRecord } | undefined,
): BcRecord[] {
  const rows = table(company, set);
  const key = parent === undefined ? undefined : CHILDREN[parent.set]?.[set];
  return key === undefined ? rows : rows.filter((r) => r[key] === parent!.record['id']);
}

function collection(
  company: CompanyState,
  server: SimServer,
  req: SimRequest,
  self: string,
  set: BcResourceName,
  fact: BcResourceFact,
  rows: BcRecord[],
  parent: { set: string; record: BcRecord } | undefined,
  pageSize: number,
): SimResponse {
  if (req.method === 'GET') {
    const clauses = parseFilter(req.query.get('$filter'), fact);
    return json(
      200,
      page(
        rows.filter((r) => matches(r, clauses)),
        req.query,
        self,
        pageSize,
      ),
    );
  }
  if (req.method !== 'POST' || !fact.creatable)
    return refuse(405, 'BadRequest_MethodNotAllowed', `'${req.method}' requests for '${set}' are not allowed.`);
  const created = create(company, set, checkBody(bodyObject(req.body), fact, true), parent);
  if (set === 'vendors')
    server.documents.add({
      kind: 'vendor',
      id: String(created['number']),
      reference: String(created['number']),
      companyCode: company.seed.name,
      lines: [],
      raw: created,
    });
  return { ...json(201, withEtag(created), { etag: etagOf(created) }), committed: true };
}

function ifMatch(req: SimRequest, record: BcRecord): void {
  const header = req.headers['if-match'];
  if (header === undefined || header === '')
    refuse(
      400,
      'BadRequest_InvalidToken',
      'Could not validate the client concurrency token required by the service. Please provide a valid token in the client request.',
    );
  if (header !== '*' && header !== etagOf(record))
    refuse(409, 'Request_EntityChanged', 'Another user has already changed the record.');
}

function single(
  company: CompanyState,
  req: SimRequest,
  set: string,
  fact: BcResourceFact,
  record: BcRecord,
): SimResponse {
  if (req.method === 'GET') return json(200, withEtag(record), { etag: etagOf(record) });
  if (req.method === 'PATCH' && fact.updatable) {
    ifMatch(req, record);
    update(company, set, record, checkBody(bodyObject(req.body), fact, false));
    return { ...json(200, withEtag(record), { etag: etagOf(record) }), committed: true };
  }
  if (req.method === 'DELETE' && fact.deletable) {
    ifMatch(req, record);
    remove(company, set, record);
    return { status: 204, committed: true };
  }
  return refuse(405, 'BadRequest_MethodNotAllowed', `'${req.method}' requests for '${set}' are not allowed.`);
}

function action(
  company: CompanyState,
  server: SimServer,
  req: SimRequest,
  parent: { set: string; record: BcRecord } | undefined,
): SimResponse {
  if (req.method !== 'POST') return refuse(405, 'BadRequest_MethodNotAllowed', 'Bound actions are called with POST.');
  if (parent?.set === 'purchaseInvoices') postPurchaseInvoice(company, parent.record, server.documents);
  else if (parent?.set === 'journals') postJournal(company, parent.record, server.documents);
  else return refuse(400, 'BadRequest_MethodNotImplemented', 'Entity does not support bound actions');
  return { status: 204, committed: true };
}

function content(req: SimRequest, attachment: BcRecord): SimResponse {
  if (req.method === 'GET')
    return {
      status: 200,
      headers: { 'content-type': 'application/octet-stream' },
      body: String(attachment['attachmentContent'] ?? ''),
    };
  if (req.method !== 'PATCH')
    return refuse(
      405,
      'BadRequest_MethodNotAllowed',
      `'${req.method}' requests for 'attachmentContent' are not allowed.`,
    );
  ifMatch(req, attachment);
  Object.assign(attachment, {
    attachmentContent: req.body,
    byteSize: Buffer.byteLength(req.body),
    lastModifiedDateTime: new Date().toISOString(),
  });
  return { status: 204, committed: true };
}

export const DEMO = { tenant: TENANT, environment: ENVIRONMENT, ...DEMO_CLIENT } as const;

/** Starts the simulator; answers its base URL, API root, token URL and the demo client. */
export async function startBcSimulator(port = 0, host = '127.0.0.1') {
  const { server, state } = createBcSimulator();
  const url = await server.start(port, host);
  return {
    server,
    state,
    url,
    apiUrl: `${url}/v2.0/${TENANT}/${ENVIRONMENT}/api/v2.0`,
    tokenUrl: `${url}/${TENANT}/oauth2/v2.0/token`,
    credentials: { ...DEMO_CLIENT },
    stop: () => server.stop(),
  };
}
