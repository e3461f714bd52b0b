/**
 * The Coupa Core API simulator, written from Coupa's R39 OpenAPI files and Compass pages
 * (`shared/reference/contracts/coupa/`), on the simulator kit: OAuth2 client credentials with scopes
 * and expiring tokens, `/api/{resource}` with at most 50 records per GET and `offset` paging,
 * `attr[op]=value` filters on the model's attributes, writes checked against the models
 * (coupa-models.ts: read-only and unknown fields refused), the special action `PUT …?exported=true`,
 * `POST /integration_history_records/create_alert`, suppliers and their supplier information (bank
 * accounts), invoices, purchase orders, receiving transactions, accounts, lookup values, integration
 * history records and errors, the 25 requests/s limit, and Coupa's error body
 * `{"errors":{"<object>":["message"]}}`. `/_sim/documents` lists ERP vendor numbers written back
 * (`write_back`), integration records (`integration_record`), dimensions (`lookup_value`) and invoice
 * payments (`payment`).
 */
import { json, SimServer, type SimRequest, type SimResponse } from '../../sim-kit/sim-server.js';
import { isoAt, seedEstate, type CollectionKey, type CoupaEstate, type CoupaRecord } from './estate.js';
import { CoupaAuth, CoupaRateLimit, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from './oauth.js';
import { checkWriteQuery, QueryError, select } from './query.js';
import { MODELS } from './coupa-models.js';
import { createRecord, updateRecord, type WriteOutcome } from './writes.js';

export interface CoupaSimulatorOptions {
  /** Access token lifetime; Coupa's is 24 h. */
  readonly tokenLifetimeSeconds?: number;
  /** Requests per second before 429 (Coupa: 25, burst 20). */
  readonly ratePerSecond?: number;
  readonly burst?: number;
}

export interface CoupaSimulator {
  readonly server: SimServer;
  readonly auth: CoupaAuth;
  /** The estate as it is now (tests may look, the simulator owns it). */
  estate(): CoupaEstate;
  start(port?: number, host?: string): Promise<string>;
  stop(): Promise<void>;
  readonly credentials: { readonly clientId: string; readonly clientSecret: string; readonly tokenUrl: string };
}

interface Resource {
  readonly path: string;
  readonly collection: CollectionKey;
  readonly read: string;
  readonly write?: string;
  readonly create?: boolean;
}

const RESOURCES: readonly Resource[] = [
  {
    path: 'suppliers',
    collection: 'suppliers',
    read: 'core.supplier.read',
    write: 'core.supplier.write',
    create: true,
  },
  // Which scope covers /supplier_information is not in the artifacts; the simulator takes core.supplier.read.
  { path: 'supplier_information', collection: 'supplierInformation', read: 'core.supplier.read' },
  { path: 'invoices', collection: 'invoices', read: 'core.invoice.read', write: 'core.invoice.write' },
  {
    path: 'purchase_orders',
    collection: 'purchaseOrders',
    read: 'core.purchase_order.read',
    write: 'core.purchase_order.write',
  },
  { path: 'receiving_transactions', collection: 'receivingTransactions', read: 'core.inventory.receiving.read' },
  {
    path: 'accounts',
    collection: 'accounts',
    read: 'core.accounting.read',
    write: 'core.accounting.write',
    create: true,
  },
  {
    path: 'lookup_values',
    collection: 'lookupValues',
    read: 'core.common.read',
    write: 'core.common.write',
    create: true,
  },
  {
    path: 'integration_history_records',
    collection: 'integrationHistoryRecords',
    read: 'core.integration.read',
    write: 'core.integration.write',
    create: true,
  },
  {
    path: 'integration_errors',
    collection: 'integrationErrors',
    read: 'core.integration.read',
    write: 'core.integration.write',
    create: true,
  },
];

/** Coupa's error body (Compass "Sample Requests/Responses", "User Create with Errors"). */
export function coupaErrors(
  status: number,
  field: string,
  messages: readonly string[],
  headers: Record<string, string> = {},
): SimResponse {
  return json(status, { errors: { [field]: messages } }, headers);
}

export function createCoupaSimulator(options: CoupaSimulatorOptions = {}): CoupaSimulator {
  let estate = seedEstate();
  const auth = new CoupaAuth(options.tokenLifetimeSeconds);
  const limit = new CoupaRateLimit(options.ratePerSecond, options.burst);
  const server = new SimServer('coupa', {
    reset: () => {
      estate = seedEstate();
      limit.reset();
    },
    seed: (body) => seedFrom(estate, body),
  });

  server.route('POST', '/oauth2/token', (req) => {
    auth.syncCutoff(server.faults.tokensIssuedBefore);
    const outcome = auth.issue(new URLSearchParams(req.body));
    return json(outcome.status, outcome.body, { 'cache-control': 'no-store' });
  });

  /** Rate limit, bearer token and scope, in the order a tenant applies them. */
  const guard = (req: SimRequest, scope: string): SimResponse | undefined => {
    auth.syncCutoff(server.faults.tokensIssuedBefore);
    const slot = limit.take();
    if (!slot.ok)
      return coupaErrors(429, 'base', ['Rate limit exceeded; retry later'], {
        'retry-after': String(slot.retryAfterSeconds),
      });
    if (
      req.headers.accept !== undefined &&
      !req.headers.accept.includes('json') &&
      !req.headers.accept.includes('*/*')
    ) {
      return coupaErrors(406, 'base', ['This simulator answers JSON only (Accept: application/json)']);
    }
    const checked = auth.check(req.headers.authorization, scope);
    return checked.ok ? undefined : coupaErrors(checked.status, 'base', [checked.message]);
  };

  const withQueryErrors = (run: () => SimResponse): SimResponse => {
    try {
      return run();
    } catch (error) {
      if (error instanceof QueryError) return coupaErrors(400, 'base', [error.message]);
      throw error;
    }
  };

  for (const resource of RESOURCES) {
    const list = (): CoupaRecord[] => estate[resource.collection];
    const byId = (id: string | undefined): CoupaRecord | undefined => list().find((r) => String(r.id) === id);

    server.route(
      'GET',
      `/api/${resource.path}`,
      (req) =>
        guard(req, resource.read) ??
        withQueryErrors(() => json(200, select(list(), req.query, MODELS[resource.collection]))),
    );
    server.route('GET', `/api/${resource.path}/:id`, (req) => {
      const refused = guard(req, resource.read);
      if (refused !== undefined) return refused;
      const found = byId(req.params['id']);
      return found === undefined
        ? coupaErrors(404, 'base', [`No ${resource.path} record with id ${req.params['id']}`])
        : json(200, found);
    });
    if (resource.write === undefined) continue;
    const write = resource.write;
    const answer = (req: SimRequest, outcome: WriteOutcome, status: number): SimResponse => {
      if (!outcome.ok) return coupaErrors(400, outcome.object, outcome.messages);
      for (const doc of outcome.documents) server.documents.add(doc);
      const shape = req.query.get('return_object');
      const body = shape === 'none' || shape === 'limited' ? { id: outcome.record.id } : outcome.record;
      return { ...json(status, body), committed: true };
    };
    server.route('PUT', `/api/${resource.path}/:id`, (req) => {
      const refused = guard(req, write) ?? queryRefusal(req, true);
      if (refused !== undefined) return refused;
      const found = byId(req.params['id']);
      if (found === undefined)
        return coupaErrors(404, 'base', [`No ${resource.path} record with id ${req.params['id']}`]);
      const parsed = parseBody(req.body);
      if (parsed === undefined) return coupaErrors(400, 'base', ['The request body is not a JSON object']);
      return answer(
        req,
        updateRecord(estate, resource.collection, found, parsed, req.query.get('exported'), isoAt(Date.now())),
        200,
      );
    });
    if (resource.create !== true) continue;
    const create = (req: SimRequest): SimResponse => {
      const refused = guard(req, write) ?? queryRefusal(req, false);
      if (refused !== undefined) return refused;
      const parsed = parseBody(req.body);
      if (parsed === undefined) return coupaErrors(400, 'base', ['The request body is not a JSON object']);
      return answer(req, createRecord(estate, resource.collection, parsed, isoAt(Date.now())), 201);
    };
    server.route('POST', `/api/${resource.path}`, create);
    // Option 2 of Compass "Invoices Integration into your ERP": an error as a history record, with an alert.
    if (resource.collection === 'integrationHistoryRecords')
      server.route('POST', `/api/${resource.path}/create_alert`, create);
  }

  // A stand-in for the invoice's page in Coupa's web UI, which the hub links to ERP postings as approval evidence.
  server.route('GET', '/invoices/:id', (req) => {
    const found = estate.invoices.find((r) => String(r.id) === req.params['id']);
    return found === undefined
      ? {
          status: 404,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: '<!doctype html><html><body><h1>Invoice not found</h1></body></html>',
        }
      : invoicePage(found);
  });

  return {
    server,
    auth,
    estate: () => estate,
    start: (port, host) => server.start(port, host),
    stop: () => server.stop(),
    get credentials() {
      return { clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET, tokenUrl: `${server.url}/oauth2/token` };
    },
  };
}

/** Query parameters a write may carry (the OpenAPI's `return_object` and `filter`, `fields`, the special `exported=true`). */
function queryRefusal(req: SimRequest, put: boolean): SimResponse | undefined {
  try {
    checkWriteQuery(req.query, put);
    return undefined;
  } catch (error) {
    if (error instanceof QueryError) return coupaErrors(400, 'base', [error.message]);
    throw error;
  }
}

function parseBody(body: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body === '' ? '{}' : body);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `POST /_sim/seed` adds or replaces records: `{ "suppliers": [{…}], "invoices": [{…}], … }`; a
 * record with a known id replaces that record, one without gets the next id.
 */
function seedFrom(estate: CoupaEstate, body: unknown): void {
  if (body === null || typeof body !== 'object') return;
  for (const [key, records] of Object.entries(body)) {
    if (!Array.isArray(records) || !RESOURCES.some((r) => r.collection === key)) continue;
    const list = estate[key as CollectionKey];
    for (const item of records as Record<string, unknown>[]) {
      const id = typeof item['id'] === 'number' ? item['id'] : estate.nextId++;
      const now = isoAt(Date.now());
      const record: CoupaRecord = { 'created-at': now, 'updated-at': now, ...item, id };
      const index = list.findIndex((r) => r.id === id);
      if (index >= 0) list[index] = record;
      else list.push(record);
    }
  }
}

/** Starts a simulator for `ledgerlink simulate procurement`; answers its URL and demo credentials. */
export async function startCoupaSimulator(
  port = 0,
  host = '127.0.0.1',
  options: CoupaSimulatorOptions = {},
): Promise<{ name: string; url: string; credentials: Record<string, string>; simulator: CoupaSimulator }> {
  const simulator = createCoupaSimulator(options);
  const url = await simulator.start(port, host);
  return { name: 'procurement', url, credentials: { ...simulator.credentials }, simulator };
}

const escapeHtml = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** An invoice's summary page: number, status, total and its approvals. */
function invoicePage(invoice: CoupaRecord): SimResponse {
  const approvals = Array.isArray(invoice['approvals']) ? (invoice['approvals'] as Record<string, unknown>[]) : [];
  const rows = [
    ['Invoice', invoice['invoice-number']],
    ['Status', invoice['status']],
    [
      'Gross total',
      `${String(invoice['gross-total'] ?? '')} ${(invoice['currency'] as { code?: string } | undefined)?.code ?? ''}`,
    ],
    ...approvals.map((a, i) => [
      `Approval ${i + 1}`,
      `${(a['approver'] as { fullname?: string } | undefined)?.fullname ?? ''} ${String(a['status'] ?? '')} ${String(a['approval-date'] ?? '')}`,
    ]),
  ];
  const table = rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
  return {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html><html><head><meta charset="utf-8"><title>Invoice ${escapeHtml(invoice['invoice-number'])}</title></head><body><table>${table}</table></body></html>`,
  };
}
