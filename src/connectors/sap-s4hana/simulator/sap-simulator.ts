/**
 * The SAP S/4HANA Cloud simulator: OData v2 services under `/sap/opu/odata/sap/` (business partner,
 * supplier invoice, company code, GL account, cost center, enterprise project, tax code custom view,
 * operational accounting document items, URL attachments of the attachment service) and the journal entry SOAP
 * service, behind Basic auth of a communication user and CSRF protection for writes, on the sim-kit
 * server with its `/_sim/` surface.
 * `POST /_sim/seed` takes `{ periods, pageSize, payments, costCenters, glAccounts, add }` (see SapState).
 */
import { json, SimServer, type SimRequest, type SimResponse } from '../../sim-kit/sim-server.js';
import { attachmentRoute } from './attachment-service.js';
import { businessPartnerRoute } from './business-partner-service.js';
import { CHART_OF_ACCOUNTS, CONTROLLING_AREA } from './estate.js';
import { JOURNAL_ENTRY_PATH, journalEntryRoute } from './journal-entry-soap.js';
import { metadataDocument } from './metadata-document.js';
import { answerBatch } from './odata-batch.js';
import { checkAgainstMetadata, serviceFacts } from './odata-contract-checks.js';
import { collection, odataError, type Entity, type EntitySet } from './odata-envelope.js';
import { SapSessions, type CommunicationUser } from './sap-session.js';
import { SapState, type SapSeed } from './sap-state.js';
import { supplierInvoiceRoute } from './supplier-invoice-service.js';

export const ODATA_ROOT = '/sap/opu/odata/sap';
export const DEMO_USER: CommunicationUser = { user: 'LEDGERLINK_COMM', password: 'Welcome-To-The-Sim-1' };

interface ReadSet {
  readonly set: EntitySet;
  readonly rows: (state: SapState) => readonly Entity[];
}

function readSet(
  service: string,
  name: string,
  key: (e: Entity) => string,
  rows: (state: SapState) => readonly Entity[],
  navigationTypes?: Record<string, string>,
): [string, ReadSet] {
  const facts = serviceFacts(service);
  const setFacts = facts?.entitySets[name];
  const type = setFacts?.entityType ?? `${service.replace(/;v=\d+$/, '')}.${name}Type`;
  return [
    `${service}/${name}`,
    {
      set: {
        service: `${ODATA_ROOT}/${service}`,
        name,
        type,
        key,
        ...(navigationTypes === undefined ? {} : { navigationTypes }),
        ...(facts === undefined || setFacts === undefined ? {} : { contract: { service: facts, set: setFacts } }),
      },
      rows,
    },
  ];
}

const dateKey = (value: unknown): string =>
  `datetime'${new Date(Number(/-?\d+/.exec(String(value))?.[0])).toISOString().slice(0, 19)}'`;

const READ_SETS = new Map<string, ReadSet>([
  readSet(
    'API_COMPANYCODE_SRV',
    'A_CompanyCode',
    (e) => `'${String(e['CompanyCode'])}'`,
    (s) => s.companyCodes,
  ),
  readSet(
    'API_GLACCOUNTINCHARTOFACCOUNTS_SRV',
    'A_GLAccountInChartOfAccounts',
    (e) => `ChartOfAccounts='${CHART_OF_ACCOUNTS}',GLAccount='${String(e['GLAccount'])}'`,
    (s) => s.glAccounts,
    { to_Text: 'API_GLACCOUNTINCHARTOFACCOUNTS_SRV.A_GLAccountTextType' },
  ),
  readSet(
    'API_COSTCENTER_SRV',
    'A_CostCenter',
    (e) =>
      `ControllingArea='${CONTROLLING_AREA}',CostCenter='${String(e['CostCenter'])}',ValidityEndDate=${dateKey(e['ValidityEndDate'])}`,
    (s) => s.costCenters,
    { to_Text: 'API_COSTCENTER_SRV.A_CostCenterTextType' },
  ),
  readSet(
    'API_ENTERPRISE_PROJECT_SRV;v=0002',
    'A_EnterpriseProject',
    (e) => `guid'${String(e['ProjectUUID'])}'`,
    (s) => s.projects,
    {
      to_EnterpriseProjectElement: 'API_ENTERPRISE_PROJECT_SRV.A_EnterpriseProjectElementType',
    },
  ),
  readSet(
    'YY1_TAXCODE_CDS',
    'YY1_TaxCode',
    (e) => `Country='${String(e['Country'])}',TaxCode='${String(e['TaxCode'])}'`,
    (s) => s.taxCodes,
  ),
  readSet(
    'API_OPLACCTGDOCITEMCUBE_SRV',
    'A_OperationalAcctgDocItemCube',
    (e) =>
      `CompanyCode='${String(e['CompanyCode'])}',FiscalYear='${String(e['FiscalYear'])}',AccountingDocument='${String(e['AccountingDocument'])}',AccountingDocumentItem='${String(e['AccountingDocumentItem'])}'`,
    (s) => s.journalItems,
  ),
]);

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'MERGE', 'DELETE']);

export interface SapSimulator {
  readonly server: SimServer;
  readonly state: SapState;
  readonly credentials: CommunicationUser;
}

export function createSapSimulator(credentials: CommunicationUser = DEMO_USER): SapSimulator {
  const state = new SapState();
  const live: SapSessions = new SapSessions(credentials, () => server.faults.tokensIssuedBefore);
  const server = new SimServer('sap-s4hana', {
    reset: () => {
      state.reset();
      live.clear();
    },
    seed: (body) => state.seed(body as SapSeed),
  });
  const businessPartners = businessPartnerRoute(state, server.documents);
  const supplierInvoices = supplierInvoiceRoute(state, server.documents);
  const journalEntries = journalEntryRoute(state, server.documents);
  const attachments = attachmentRoute(state, server.documents, credentials.user);

  const guarded =
    (handler: (request: SimRequest) => SimResponse): ((request: SimRequest) => SimResponse) =>
    (request) => {
      const unauthorized = live.checkBasic(request);
      if (unauthorized !== undefined) return unauthorized;
      if (WRITE_METHODS.has(request.method)) {
        const forbidden = live.checkCsrf(request);
        if (forbidden !== undefined) return forbidden;
      }
      const response = handler(request);
      const wantsToken = String(request.headers['x-csrf-token'] ?? '').toLowerCase() === 'fetch';
      if (!wantsToken || WRITE_METHODS.has(request.method)) return response;
      return { ...response, headers: { ...response.headers, ...live.fetchToken(request) } };
    };

  const serviceRoot = guarded((request) =>
    json(200, { d: { EntitySets: entitySetsOf(String(request.params['service'])) } }),
  );
  const serve = (request: SimRequest): SimResponse => {
    const service = String(request.params['service']);
    const segment = String(request.params['segment']);
    // The custom tax code view has no published metadata: it is served unchecked.
    const facts = serviceFacts(service);
    const refused = facts === undefined ? undefined : checkAgainstMetadata(request, facts, segment);
    if (refused !== undefined) return refused;
    if (service === 'API_BUSINESS_PARTNER') return businessPartners(request, segment);
    if (service === 'API_SUPPLIERINVOICE_PROCESS_SRV') return supplierInvoices(request, segment);
    if (service === 'API_CV_ATTACHMENT_SRV') return attachments(request, segment);
    const read = READ_SETS.get(`${service}/${segment}`);
    if (read === undefined)
      return odataError(404, '/IWBEP/CM_MGW_RT/020', `Resource not found for segment '${segment}'`);
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return odataError(405, '/IWBEP/CM_MGW_RT/021', `Method ${request.method} not allowed on ${segment}`);
    return collection(request, read.set, read.rows(state), { pageSize: state.pageSize });
  };
  const entity = guarded(serve);

  // `<set>/$count`: the number of entities matching `$filter`, as text/plain.
  const countOf =
    (answerOne: (request: SimRequest) => SimResponse) =>
    (request: SimRequest): SimResponse => {
      if (request.method !== 'GET') return answerOne(request);
      const query = new URLSearchParams(request.query);
      for (const option of ['$top', '$skip', '$skiptoken', '$select', '$expand', '$orderby']) query.delete(option);
      query.set('$inlinecount', 'allpages');
      const answer = answerOne({ ...request, query });
      const counted = (answer.body as { d?: { __count?: unknown } } | undefined)?.d?.__count;
      if (answer.status !== 200 || typeof counted !== 'string') return answer;
      return { status: 200, headers: { ...answer.headers, 'content-type': 'text/plain' }, body: counted };
    };
  const count = countOf(entity);

  // `$batch`: the requests of one service, each answered as if it had come alone, change sets atomic.
  const batch = guarded((request) => {
    const service = String(request.params['service']);
    const root = `${ODATA_ROOT}/${service}`;
    const countInBatch = countOf(serve);
    return answerBatch(request, root, {
      dispatch: (inner) => {
        const match = /^([^/]+)(\/\$count)?$/.exec(
          inner.path.startsWith(`${root}/`) ? inner.path.slice(root.length + 1) : '',
        );
        if (match === null)
          return odataError(400, '/IWBEP/CM_MGW_RT/004', `${inner.path} is not a resource of ${service} in its $batch`);
        const addressed = { ...inner, params: { service, segment: match[1] ?? '' } };
        return match[2] === undefined ? serve(addressed) : countInBatch(addressed);
      },
      checkpoint: () => {
        const restoreState = state.checkpoint();
        const restoreDocuments = server.documents.checkpoint();
        return () => {
          restoreState();
          restoreDocuments();
        };
      },
    });
  });

  // `$metadata`: the service's EDMX, written from the facts this simulator enforces.
  const metadata = guarded((request) => {
    const service = String(request.params['service']);
    const facts = serviceFacts(service);
    if (facts === undefined) return odataError(404, '/IWBEP/CM_MGW_RT/020', `No metadata for service ${service}`);
    return { status: 200, headers: { 'content-type': 'application/xml' }, body: metadataDocument(facts) };
  });

  for (const method of ['GET', 'HEAD']) {
    server.route(method, `${ODATA_ROOT}/:service/$metadata`, metadata);
    server.route(method, `${ODATA_ROOT}/:service/:segment/$count`, count);
    server.route(method, `${ODATA_ROOT}/:service`, serviceRoot);
    server.route(method, `${ODATA_ROOT}/:service/`, serviceRoot);
  }
  server.route('POST', `${ODATA_ROOT}/:service/$batch`, batch);
  for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'MERGE', 'DELETE'])
    server.route(method, `${ODATA_ROOT}/:service/:segment`, entity);
  server.route('POST', JOURNAL_ENTRY_PATH, (request) => live.checkBasic(request) ?? journalEntries(request));
  return { server, state, credentials };
}

function entitySetsOf(service: string): string[] {
  const facts = serviceFacts(service);
  if (facts !== undefined) return Object.keys(facts.entitySets);
  return [...READ_SETS.keys()].filter((k) => k.startsWith(`${service}/`)).map((k) => k.slice(service.length + 1));
}

/** Starts the simulator standalone (for `ledgerlink simulate erp`); answers its URL and credentials. */
export async function startSapSimulator(
  port = 0,
  host = '127.0.0.1',
): Promise<{ simulator: SapSimulator; url: string; stop: () => Promise<void> }> {
  const simulator = createSapSimulator();
  const url = await simulator.server.start(port, host);
  return { simulator, url, stop: () => simulator.server.stop() };
}
