/**
 * The SAP Concur simulator (expense), written from the published contract (the contract facts of
 * `../concur-contract-facts.ts`): the OAuth2 token service with rotating refresh tokens and the
 * token's geolocation (company-auth.ts), the Financial Integration Service v4 (fis-routes.ts: READY
 * documents paged, acknowledgements, posting and payment confirmations answered as top-level arrays
 * of per-item results inside HTTP 200) and List Item v4 (list-values.ts), on the sim-kit. It serves
 * the FIS sample documents of `fis-samples/` (Concur's published examples) as seeded READY documents,
 * with their amounts exactly as written (JSON numbers, kept as source text).
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
import { FIS_EXAMPLE_ENVELOPE, FIS_REQUEST, LIST_ITEMS } from '../concur-contract-facts.js';
import { CompanyAuth, DEMO_CLIENT, type ConcurClient } from './company-auth.js';
import { receiptPage, reportPage } from './document-pages.js';
import { field, isObject, list, parseFis, plainFis, text, type FisObject, type FisValue } from './fis-json.js';
import { FisQueue, ItemCode, type FisDocument, type ItemResult } from './fis-queue.js';
import {
  fisBadRequest,
  itemsOf,
  listDocuments,
  parseBody,
  publishedItem,
  refuseDocType,
  requestProblem,
  systemIdOf,
  type FisOperation,
} from './fis-routes.js';
import { decimalText, impliedLines } from './implied-lines.js';
import { ListValues, type ListItem as ListItemOf } from './list-values.js';

const FIS = FIS_REQUEST.transactionsPath.replace('{docType}', ':docType');

/** The FIS sample documents shipped with the simulator (copies of Concur's published examples). */
export const DEFAULT_FIXTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), 'fis-samples');

export interface ConcurSimulatorOptions {
  /** Folder of FIS sample documents seeded as READY (default: the samples shipped in `fis-samples/`). */
  readonly fixturesDir?: string;
  /** FIS answers or documents (JSON text) seeded as READY instead of the folder's. */
  readonly seedDocuments?: readonly string[];
  readonly clients?: readonly ConcurClient[];
  /**
   * The token's geolocation (a base URL on this server's port, e.g. `http://localhost:PORT` while
   * the token service is called at `http://127.0.0.1:PORT`). When given, API calls and refreshes
   * sent anywhere else are refused, as a tenant in another data center refuses them.
   */
  readonly geolocation?: string | ((serverUrl: string) => string);
  /** Answer the FIS GET with the `{fIDocuments, …}` envelope of the published example documents. */
  readonly legacyEnvelope?: boolean;
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
  if (isObject(body) && Array.isArray(field(body, FIS_EXAMPLE_ENVELOPE.documentsKey)))
    return list(field(body, FIS_EXAMPLE_ENVELOPE.documentsKey)).filter(isObject);
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
  const geolocation = (): string =>
    typeof options.geolocation === 'function' ? options.geolocation(server.url) : (options.geolocation ?? server.url);
  const auth = new CompanyAuth(
    () => clients,
    geolocation,
    () => server.faults.tokensIssuedBefore,
    options.geolocation !== undefined,
  );
  seedFixtures();

  const guarded =
    (scope: string, handler: (req: SimRequest) => SimResponse) =>
    (req: SimRequest): SimResponse =>
      auth.refuse(req, scope) ?? handler(req);
  const fis = (handler: (req: SimRequest, docType: string) => SimResponse) =>
    guarded(FIS_REQUEST.scope, (req) => refuseDocType(req) ?? handler(req, req.params['docType'] ?? ''));
  const operation = (name: FisOperation, record?: (doc: FisDocument, item: FisObject) => void) =>
    fis((req, docType) => {
      const body = parseBody(req);
      const problem = requestProblem(name, body);
      if (problem !== undefined) return fisBadRequest(req, problem);
      const systemId = systemIdOf(body);
      if (name === 'acknowledgements') {
        const ids = list(field(body, 'ids')).map((id) => text(id) ?? '');
        const answer = ids.map((id) => publishedItem(name, queue.acknowledge(docType, id, systemId)));
        return { ...json(200, answer), committed: true };
      }
      const answer = itemsOf(name, body).map((item) => {
        const result: ItemResult =
          name === 'postingconfirmations'
            ? queue.confirmPosting(docType, item, systemId)
            : queue.confirmPayment(docType, item, systemId);
        const doc = queue.get(result.docId);
        if (result.code === ItemCode.OK && doc !== undefined) record?.(doc, item);
        return publishedItem(name, result, item);
      });
      return { ...json(200, answer), committed: true };
    });

  server.route('POST', '/oauth2/v0/token', (req) => auth.token(req));
  server.route(
    'GET',
    FIS,
    fis((req, docType) => listDocuments(geolocation(), queue, req, docType, options.legacyEnvelope === true)),
  );
  server.route('POST', `${FIS}/acknowledgements`, operation('acknowledgements'));
  server.route(
    'POST',
    `${FIS}/postingconfirmations`,
    operation('postingconfirmations', (doc, item) => recordPosting(server, doc, item)),
  );
  server.route(
    'POST',
    `${FIS}/paymentconfirmations`,
    operation('paymentconfirmations', (doc, item) => recordPayment(server, doc, item)),
  );
  const recordItem = (response: SimResponse & { readonly item?: ListItemOf }): SimResponse => {
    const { item, ...rest } = response;
    if (item !== undefined) {
      const shaped = lists.shape(item);
      server.documents.add({
        kind: 'lookup_value',
        id: item.id,
        reference: `${[...item.lists.keys()].join(',')}:${String(shaped['code'])}`,
        lines: [],
        raw: shaped,
      });
    }
    return rest;
  };
  server.route(
    'GET',
    LIST_ITEMS.listChildrenPath.replace('{listId}', ':listId'),
    guarded(LIST_ITEMS.scopes.read, (req) => lists.children(req)),
  );
  server.route(
    'POST',
    LIST_ITEMS.createPath,
    guarded(LIST_ITEMS.scopes.write, (req) => recordItem(lists.create(req))),
  );
  server.route(
    'PUT',
    LIST_ITEMS.itemPath.replace('{itemId}', ':itemId'),
    guarded(LIST_ITEMS.scopes.write, (req) => recordItem(lists.update(req))),
  );
  server.route(
    'DELETE',
    LIST_ITEMS.deleteEverywherePath.replace('{itemId}', ':itemId'),
    guarded(LIST_ITEMS.scopes.delete, (req) => recordItem(lists.remove(req))),
  );
  server.route(
    'DELETE',
    LIST_ITEMS.deleteFromListPath.replace('{listId}', ':listId').replace('{itemId}', ':itemId'),
    guarded(LIST_ITEMS.scopes.delete, (req) => recordItem(lists.remove(req))),
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
      return fisBadRequest(req, error instanceof Error ? error.message : String(error));
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
