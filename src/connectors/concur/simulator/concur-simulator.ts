/**
 * The SAP Concur simulator (expense): the OAuth2 token service with rotating refresh tokens, the
 * Financial Integration Service v4 (READY documents paged, acknowledgements, posting and payment
 * confirmations answered with per-item codes inside HTTP 200) and list items, on the sim-kit.
 * It serves the FIS sample documents of `fis-samples/` (Concur's published examples) as seeded READY documents,
 * with their amounts exactly as written (JSON numbers, kept as source text).
 *
 * Shapes not published by the vendor ([gap] in the contracts) are the simulator's choice: per-item
 * results are `{ results: [{ docId, code, message }] }`; errors outside OAuth2 use the Spring-style
 * `{ timestamp, status, error, message, path }` body the v4 services answer with.
 *
 * Stand-ins for its web pages (document-pages.ts): `GET /ui/reports/:reportId`, `GET /ui/receipts/:receiptId`.
 *
 * Test-only: `POST /_sim/fis/documents` (one FIS document `{id, docType, companyId, document, …}`
 * or a sample file's `{fIDocuments:[…]}`) puts documents in the READY queue; `POST /_sim/seed`
 * takes `{ documents?, itemCodes?: {docId: code}, recall?: [docId] }` (an item code is answered
 * once for that document's next item: 199 or 198 as Concur does).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { json, SimServer, type SimRequest, type SimResponse } from '../../sim-kit/sim-server.js';
import { CompanyAuth, DEMO_CLIENT, type ConcurClient } from './company-auth.js';
import { receiptPage, reportPage } from './document-pages.js';
import {
  field,
  isObject,
  list,
  parseFis,
  plainFis,
  text,
  writeFis,
  type FisObject,
  type FisValue,
} from './fis-json.js';
import { decimalText, FisQueue, impliedLines, ItemCode, type FisDocument } from './fis-queue.js';
import { badRequest, ListValues } from './list-values.js';

const FIS = '/financialintegration/fi/v4/companies/transactiontypes/:docType/transactions';
const DOC_TYPES = new Set(['expense', 'invoice', 'cashadvance']);
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 100;

/** The FIS sample documents shipped with the simulator (copies of Concur's published examples). */
export const DEFAULT_FIXTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), 'fis-samples');

export interface ConcurSimulatorOptions {
  /** Folder of FIS sample documents seeded as READY (default: the samples shipped in `fis-samples/`). */
  readonly fixturesDir?: string;
  /** FIS answers or documents (JSON text) seeded as READY instead of the folder's. */
  readonly seedDocuments?: readonly string[];
  readonly clients?: readonly ConcurClient[];
}

export interface ConcurSimulator {
  readonly server: SimServer;
  readonly queue: FisQueue;
  readonly clients: readonly ConcurClient[];
  /** Ids of the seeded sample documents, in file-name order. */
  readonly seededIds: readonly string[];
}

/** Reads the sample files (each a `GET …/transactions` answer with `fIDocuments`). */
export function readFixtureDocuments(dir: string): FisObject[] {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch {
    return [];
  }
  return names.flatMap((name) => documentsIn(parseFis(readFileSync(join(dir, name), 'utf8'))));
}

function documentsIn(body: FisValue): FisObject[] {
  if (isObject(body) && Array.isArray(field(body, 'fIDocuments')))
    return list(field(body, 'fIDocuments')).filter(isObject);
  if (isObject(body) && Array.isArray(field(body, 'content'))) return list(field(body, 'content')).filter(isObject);
  return isObject(body) ? [body] : [];
}

export function createConcurSimulator(options: ConcurSimulatorOptions = {}): ConcurSimulator {
  const clients = options.clients ?? [DEMO_CLIENT];
  const fixtures =
    options.seedDocuments !== undefined
      ? options.seedDocuments.flatMap((text) => documentsIn(parseFis(text)))
      : readFixtureDocuments(options.fixturesDir ?? process.env['LEDGERLINK_CONCUR_FIXTURES'] ?? DEFAULT_FIXTURES_DIR);
  const queue = new FisQueue();
  const lists = new ListValues();
  const seedFixtures = (): void => {
    for (const doc of fixtures) queue.add(doc);
  };
  const server: SimServer = new SimServer('concur', {
    reset: () => {
      queue.clear();
      lists.clear();
      seedFixtures();
    },
    seed: (body) => seed(queue, body),
  });
  const auth = new CompanyAuth(
    () => clients,
    () => server.url,
    () => server.faults.tokensIssuedBefore,
  );
  seedFixtures();

  const guarded =
    (scope: string, handler: (req: SimRequest, docType: string) => SimResponse) =>
    (req: SimRequest): SimResponse => {
      const refused = auth.refuse(req, scope);
      if (refused !== undefined) return refused;
      const docType = req.params['docType'];
      if (docType !== undefined && !DOC_TYPES.has(docType))
        return badRequest(req, `unknown transaction type ${docType}`);
      return handler(req, docType ?? '');
    };

  server.route('POST', '/oauth2/v0/token', (req) => auth.token(req));
  server.route(
    'GET',
    FIS,
    guarded('FISVC', (req, docType) => listDocuments(server, queue, req, docType)),
  );
  server.route(
    'POST',
    `${FIS}/acknowledgements`,
    guarded('FISVC', (req, docType) => {
      const body = parseBody(req);
      const systemId = text(field(body, 'systemId'));
      const ids = list(field(body, 'ids')).map((id) => text(id) ?? '');
      if (systemId === undefined || systemId === '' || ids.length === 0)
        return badRequest(req, 'ids and systemId are required');
      return { ...json(200, { results: ids.map((id) => queue.acknowledge(docType, id, systemId)) }), committed: true };
    }),
  );
  server.route(
    'POST',
    `${FIS}/postingconfirmations`,
    guarded('FISVC', (req, docType) => {
      const body = parseBody(req);
      const systemId = text(field(body, 'systemId'));
      const items = list(field(body, 'postingConfirmations')).filter(isObject);
      if (systemId === undefined || systemId === '' || items.length === 0)
        return badRequest(req, 'postingConfirmations and systemId are required');
      const results = items.map((item) => {
        const outcome = queue.confirmPosting(docType, item, systemId);
        const doc = queue.get(outcome.docId);
        if (outcome.code === ItemCode.OK && doc !== undefined) recordPosting(server, doc, item);
        return outcome;
      });
      return { ...json(200, { results }), committed: true };
    }),
  );
  server.route(
    'POST',
    `${FIS}/paymentconfirmations`,
    guarded('FISVC', (req, docType) => {
      const body = parseBody(req);
      const items = list(field(body, 'processingConfirmation')).filter(isObject);
      if (text(field(body, 'systemId')) === undefined || items.length === 0)
        return badRequest(req, 'processingConfirmation and systemId are required');
      const results = items.map((item) => {
        const { recorded, ...outcome } = queue.confirmPayment(docType, item);
        const doc = queue.get(outcome.docId);
        if (recorded && doc !== undefined) recordPayment(server, doc, item);
        return outcome;
      });
      return { ...json(200, { results }), committed: true };
    }),
  );
  server.route(
    'GET',
    '/list/v4/lists/:listId/children',
    guarded('LIST', (req) => lists.children(req)),
  );
  server.route(
    'POST',
    '/list/v4/items',
    guarded('LIST', (req) => {
      const { item, ...response } = lists.create(req);
      if (item !== undefined)
        server.documents.add({
          kind: 'lookup_value',
          id: item.id,
          reference: `${item.listId}:${item.code}`,
          lines: [],
          raw: item,
        });
      return response;
    }),
  );
  server.route(
    'PUT',
    '/list/v4/items/:id',
    guarded('LIST', (req) => {
      const { item, ...response } = lists.update(req);
      if (item !== undefined)
        server.documents.add({
          kind: 'lookup_value',
          id: item.id,
          reference: `${item.listId}:${item.code}`,
          lines: [],
          raw: { ...item },
        });
      return response;
    }),
  );
  server.route(
    'DELETE',
    '/list/v4/items/:id',
    guarded('LIST', (req) => {
      const { item, ...response } = lists.remove(req);
      if (item !== undefined)
        server.documents.add({
          kind: 'lookup_value',
          id: item.id,
          reference: `${item.listId}:${item.code}`,
          lines: [],
          raw: { ...item },
        });
      return response;
    }),
  );
  server.route('GET', '/ui/reports/:reportId', (req) => reportPage(queue, req));
  server.route('GET', '/ui/receipts/:receiptId', (req) => receiptPage(queue, req));
  server.route('POST', '/_sim/fis/documents', (req) => {
    let docs: FisObject[];
    try {
      docs = documentsIn(parseFis(req.body));
      const added = docs.map((doc) => queue.add(doc).id);
      return json(201, { ids: added });
    } catch (error) {
      return badRequest(req, error instanceof Error ? error.message : String(error));
    }
  });

  return { server, queue, clients, seededIds: fixtures.map((d) => text(field(d, 'id')) ?? '') };
}

function seed(queue: FisQueue, body: unknown): void {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const documents = value['documents'];
  if (Array.isArray(documents)) for (const doc of documents) queue.add(parseFis(JSON.stringify(doc)) as FisObject);
  const codes = value['itemCodes'];
  if (typeof codes === 'object' && codes !== null) {
    for (const [docId, code] of Object.entries(codes)) if (typeof code === 'number') queue.forceCode(docId, code);
  }
  const recall = value['recall'];
  if (Array.isArray(recall)) for (const docId of recall) if (typeof docId === 'string') queue.recall(docId);
}

function parseBody(req: SimRequest): FisObject | undefined {
  try {
    const value = parseFis(req.body);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function listDocuments(server: SimServer, queue: FisQueue, req: SimRequest, docType: string): SimResponse {
  const page = Number(req.query.get('page') ?? '0');
  const limit = Number(req.query.get('limit') ?? String(DEFAULT_LIMIT));
  if (!Number.isInteger(page) || page < 0 || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return badRequest(req, `page must be 0 or more and limit between 1 and ${MAX_LIMIT}`);
  }
  const systemId = req.query.get('systemId');
  const all = queue
    .waiting(docType, req.query.get('docId'))
    .filter((d) => systemId === null || d.erpSystemId === null || d.erpSystemId === systemId);
  const totalPages = Math.ceil(all.length / limit);
  const content = all.slice(page * limit, page * limit + limit);
  const href = (n: number): string => {
    const url = new URL(req.path, server.url);
    for (const [k, v] of req.query) url.searchParams.set(k, v);
    url.searchParams.set('page', String(n));
    url.searchParams.set('limit', String(limit));
    return url.toString();
  };
  const links = [{ rel: 'self', href: href(page) }];
  if (page + 1 < totalPages) links.push({ rel: 'next', href: href(page + 1) });
  if (page > 0) links.push({ rel: 'prev', href: href(page - 1) });
  const entries = content.map(
    (d) =>
      `{"id":${JSON.stringify(d.id)},"docType":${JSON.stringify(d.docType)},"companyId":${JSON.stringify(d.companyId)},` +
      `"erpSystemId":${JSON.stringify(d.erpSystemId)},"document":${writeFis(d.document)},"docStatus":${JSON.stringify(d.status)}}`,
  );
  const pageInfo = JSON.stringify({ size: limit, totalElements: all.length, totalPages, number: page });
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: `{"links":${JSON.stringify(links)},"content":[${entries.join(',')}],"page":${pageInfo}}`,
  };
}

function currencyOf(doc: FisDocument): string | undefined {
  if (doc.docType === 'cashadvance') return text(field(field(doc.document, 'cashAdvanceData'), 'currencyAlphaCode'));
  return text(field(field(doc.document, 'report'), 'employeeCurrencyAlphaCode'));
}

function recordPosting(server: SimServer, doc: FisDocument, item: FisObject): void {
  const first = list(field(item, 'postingDocs'))[0];
  const success = text(field(item, 'overallPostingStatusCode')) === 'success';
  const currency = currencyOf(doc);
  const companyCode = text(field(first, 'companyId'));
  server.documents.add({
    kind: 'posting_confirmation',
    id: text(field(first, 'documentNumber')) ?? `${doc.id}-error`,
    reference: doc.id,
    ...(companyCode === undefined ? {} : { companyCode }),
    ...(currency === undefined ? {} : { currency }),
    lines: success ? impliedLines(doc.document, doc.docType) : [],
    raw: plainFis(item),
  });
}

function recordPayment(server: SimServer, doc: FisDocument, item: FisObject): void {
  const employeeId = text(
    field(field(doc.document, doc.docType === 'cashadvance' ? 'employeeData' : 'employee'), 'employeeId'),
  );
  const details = list(field(item, 'clearingDetails'));
  const currency = text(field(details[0], 'clearingCurrency')) ?? currencyOf(doc);
  server.documents.add({
    kind: 'payment_confirmation',
    id: `${doc.id}-${text(field(item, 'processingStatusCode')) ?? ''}-${doc.paymentConfirmations.length}`,
    reference: doc.id,
    ...(currency === undefined ? {} : { currency }),
    lines: details.flatMap((d) => {
      const amount = decimalText(field(d, 'clearingAmount'));
      if (amount === undefined) return [];
      const negative = amount.startsWith('-');
      return [
        {
          account: 'PAYEE',
          side: negative ? ('C' as const) : ('D' as const),
          amount: negative ? amount.slice(1) : amount,
          ...(employeeId === undefined ? {} : { partner: employeeId }),
        },
      ];
    }),
    raw: plainFis(item),
  });
}

/** Starts the simulator on its own port (for `ledgerlink simulate expense`); answers its URL and demo credentials. */
export async function startConcurSimulator(
  options: ConcurSimulatorOptions & { port?: number; host?: string } = {},
): Promise<{
  url: string;
  credentials: ConcurClient;
  stop: () => Promise<void>;
}> {
  const sim = createConcurSimulator(options);
  const url = await sim.server.start(options.port ?? 0, options.host ?? '127.0.0.1');
  return { url, credentials: sim.clients[0] ?? DEMO_CLIENT, stop: () => sim.server.stop() };
}
