/**
 * What the Concur connector and its simulator rely on from SAP Concur's published contract, kept in
 * our own words as plain data. Each group names the artifact it was read from (files under
 * `shared/reference/contracts/sap-concur/`, from concur/developer.concur.com at commit
 * 3d94d3f011b710df08b1bdfa5dc081ca0d71aa21). `concur-contract-facts.test.ts` re-derives every group
 * from those files and fails on any difference.
 */

/** Financial Integration Service v4: paths, parameters, paging. */
export const FIS_REQUEST = {
  source: ['v4.financial-integration.markdown', 'FinancialIntegrationService.swagger2.json'],
  transactionsPath: '/financialintegration/fi/v4/companies/transactiontypes/{docType}/transactions',
  operations: ['acknowledgements', 'postingconfirmations', 'paymentconfirmations'],
  docTypes: ['expense', 'invoice', 'cashadvance', 'payroll', 'obligation'],
  /** The GET's query parameters; nothing else is published. */
  queryParameters: ['page', 'limit', 'docId', 'ignoreDocumentStatus', 'systemId'],
  /** The paging links of the page's example also carry `size` (equal to `limit`): `?limit=3&page=1&size=3`. */
  linkQueryParameters: ['limit', 'page', 'size'],
  ignoreDocumentStatusValues: ['yes', 'no'],
  /** Header `DocumentFormatAs` (the Swagger spells it `documentFormatAs`): text (default, `document` a JSON string) or json. */
  documentFormatHeader: 'documentformatas',
  documentFormatValues: ['text', 'json'],
  /** Pages are numbered from 0 ("first page starts with 0"). */
  firstPage: 0,
  defaultLimit: 25,
  /** No maximum for `limit` is published. */
  maxLimit: undefined,
  systemIdMaxLength: 50,
  scope: 'FISVC',
} as const;

/** The GET answer: `{content[], links[], page{…}}`, each content entry an FIDocument. */
export const FIS_PAGE = {
  source: ['FinancialIntegrationService.swagger2.json', 'v4.financial-integration.markdown'],
  envelopeKeys: ['content', 'links', 'page'],
  pageKeys: ['number', 'size', 'totalElements', 'totalPages'],
  linkKeys: ['deprecation', 'href', 'hreflang', 'media', 'rel', 'templated', 'title', 'type'],
  linkRels: ['first', 'self', 'next', 'last'],
  documentKeys: [
    'companyId',
    'companyUuid',
    'docStatus',
    'docType',
    'document',
    'entityId',
    'erpSystemId',
    'id',
    'links',
  ],
  /** The Swagger's enum (the reference page lists only the first four). */
  docStatuses: [
    'READY',
    'ACKNOWLEDGED',
    'POSTING_CONFIRMED_SUCCESS',
    'POSTING_CONFIRMED_FAILURE',
    'PAID',
    'RECALLED',
    'PAYMENT_CONFIRMED_SUCCESS',
    'PAYMENT_CONFIRMED_REVERSED',
    'PAYMENT_CONFIRMED_OBSOLETE',
    'PENDING_SYSTEM_REFRESH',
    'FLAG_DUPLICATE',
  ],
} as const;

/** The published example documents wrap the document list as `fIDocuments` instead of `content`. */
export const FIS_EXAMPLE_ENVELOPE = {
  source: ['shared/fixtures/concur-fis/*.json (the published FIS example documents)'],
  documentsKey: 'fIDocuments',
  keys: ['fIDocuments', 'offset', 'nextPage', 'numberReturned'],
} as const;

/** The three POST bodies (request models of the Swagger). */
export const FIS_REQUESTS = {
  source: ['FinancialIntegrationService.swagger2.json', 'v4.financial-integration.markdown'],
  acknowledge: { keys: ['ids', 'systemId'], required: ['ids', 'systemId'] },
  postingConfirmation: { keys: ['systemId', 'postingConfirmations'], required: ['systemId', 'postingConfirmations'] },
  postingItem: {
    keys: ['docId', 'postingDocs', 'overallPostingStatusCode', 'systemMessages'],
    required: ['docId', 'overallPostingStatusCode', 'postingDocs', 'systemMessages'],
  },
  postingDoc: {
    keys: ['companyId', 'documentNumber', 'fiscalYear', 'paymentRelevantLineItems', 'postingDate'],
    required: ['companyId'],
  },
  systemMessage: {
    keys: ['concurTransactionLineItemId', 'messageId', 'messageLanguage', 'messageLongText', 'messageShortText'],
    /** "Maximum 1300 characters" for messageShortText and messageLongText (v4.financial-integration.markdown, System Messages). */
    textMaxLength: 1300,
  },
  overallPostingStatusCodes: ['error', 'success'],
  paymentConfirmation: {
    keys: ['systemId', 'processingConfirmation'],
    required: ['systemId', 'processingConfirmation'],
  },
  /** `additionalMessage` is on the reference page only (reversal or obsolete message). */
  paymentItem: {
    keys: ['docId', 'clearingDetails', 'processingStatusCode', 'additionalMessage'],
    required: ['docId', 'processingStatusCode', 'clearingDetails'],
  },
  clearingDetail: { keys: ['clearingDate', 'clearingAmount', 'clearingCurrency', 'receiver', 'clearingReference'] },
  receiver: { keys: ['receiverId', 'receiverName', 'receiverType'] },
  clearingReference: { keys: ['companyCode', 'financialDocumentId', 'fiscalYear', 'paymentRef', 'paymentMethod'] },
  /** Completely paid, partially paid, reversal, obsolete. */
  processingStatusCodes: ['CP', 'PP', 'RE', 'OB'],
  /** E electronic funds transfer, C check. */
  paymentMethods: ['E', 'C'],
} as const;

/** The answers: a top-level JSON array of per-item results inside HTTP 200. */
export const FIS_ITEM_RESULTS = {
  source: ['FinancialIntegrationService.swagger2.json', 'v4.financial-integration.markdown'],
  acknowledge: {
    resultKey: 'acknowledgeResult',
    keys: ['acknowledgeResult', 'code', 'docId', 'errorMessage', 'systemId'],
    results: ['SUCCESS', 'FAILURE'],
  },
  postingConfirmation: {
    resultKey: 'postingConfirmationResult',
    keys: ['code', 'detailMessage', 'docId', 'errorMessage', 'postingConfirmationResult', 'systemId'],
    results: [
      'SUCCESS',
      'SYSTEM_ERROR_OCCURRED',
      'NOT_YET_ACKNOWLEDGED',
      'DOCUMENT_NOT_FOUND',
      'FAILURE',
      'WAS_RECALLED',
    ],
  },
  paymentConfirmation: {
    resultKey: 'paymentConfirmationResult',
    keys: ['code', 'detailMessage', 'docId', 'errorMessage', 'paymentConfirmationResult', 'paymentRef', 'systemId'],
    results: ['SUCCESS', 'SYSTEM_ERROR_OCCURRED', 'NOT_POSTING_CONFIRMED', 'DOCUMENT_NOT_FOUND', 'FAILURE', 'NOOP'],
  },
} as const;

export type ServiceCodeCategory = 'Any' | 'Acknowledge' | 'Posting' | 'Payment';

/** The service codes table; 298 is not in it but is answered in the payment confirmation example. */
export const FIS_SERVICE_CODES: {
  readonly source: readonly string[];
  readonly codes: Readonly<Record<number, { readonly description: string; readonly category: ServiceCodeCategory }>>;
  readonly noop: number;
} = {
  source: ['v4.financial-integration.markdown'],
  codes: {
    0: { description: 'Successfully processed', category: 'Any' },
    99: { description: 'System ID in request does not match system ID in FI database.', category: 'Any' },
    101: { description: 'This document was previously acknowledged.', category: 'Acknowledge' },
    102: { description: 'This document has been recalled.', category: 'Acknowledge' },
    103: { description: 'This document is not ready.', category: 'Acknowledge' },
    104: { description: 'This document does not exist in the FI database.', category: 'Acknowledge' },
    105: { description: 'This document is not of type (expense, invoice, cashadvance).', category: 'Acknowledge' },
    111: { description: 'This document has not been acknowledged.', category: 'Posting' },
    112: { description: 'This document has been recalled.', category: 'Posting' },
    113: { description: 'Confirmation has been posted for this document.', category: 'Posting' },
    114: { description: 'Document is not in a known state.', category: 'Posting' },
    115: { description: 'This document is not of type (expense, invoice, cashadvance).', category: 'Posting' },
    116: { description: 'This document does not exist in the FI database.', category: 'Posting' },
    198: { description: 'Invalid request - this same request will not work if tried again.', category: 'Posting' },
    199: { description: 'Unknown error, please try again later.', category: 'Any' },
    298: { description: 'Payment confirmation already exist (example answer, NOOP).', category: 'Payment' },
  },
  noop: 298,
};

/** List Item v4: paths, paging, the item and its create/update bodies, the error body. */
export const LIST_ITEMS = {
  source: ['v4.list-item.markdown', 'ListItem.swagger2.json'],
  listChildrenPath: '/list/v4/lists/{listId}/children',
  itemPath: '/list/v4/items/{itemId}',
  createPath: '/list/v4/items',
  /** Deletes the item from every list that shares it. */
  deleteEverywherePath: '/list/v4/items/{itemId}',
  /** Deletes the item from this one list only. */
  deleteFromListPath: '/list/v4/lists/{listId}/items/{itemId}',
  childrenQueryParameters: [
    'hasChildren',
    'isDeleted',
    'page',
    'shortCode',
    'shortCodeOrValue',
    'sortBy',
    'sortDirection',
    'value',
  ],
  /** Pages are numbered from 1 (default 1); there is no `limit`: the page size is fixed at 100. */
  firstPage: 1,
  pageSize: 100,
  sortBy: ['value', 'shortcode'],
  sortDirection: ['asc', 'desc'],
  itemKeys: ['code', 'id', 'isDeleted', 'level', 'listId', 'lists', 'parentId', 'shortCode', 'value'],
  memberListKeys: ['hasChildren', 'id'],
  create: {
    keys: ['listId', 'parentCode', 'parentId', 'shortCode', 'value'],
    required: ['listId', 'shortCode', 'value'],
  },
  update: { keys: ['shortCode', 'value'], required: ['shortCode', 'value'] },
  /** `code` is the long code: the `shortCode`s from the top level down joined by `-`. */
  codeSeparator: '-',
  scopes: { read: 'spend.listitem.read', write: 'spend.listitem.write', delete: 'spend.listitem.delete' },
} as const;

/** The error body of the List and List Item v4 services. */
export const LIST_ERROR = {
  source: ['ListItem.swagger2.json', 'List.swagger2.json', 'v4.list-item.markdown'],
  keys: ['error', 'httpStatus', 'path', 'timestamp', 'validationErrors'],
  required: ['error', 'httpStatus', 'path', 'timestamp'],
  messageKeys: ['id', 'message'],
  validationErrorKeys: ['message', 'source'],
} as const;

/** The OAuth2 token service. */
export const TOKEN = {
  source: ['apidoc.markdown'],
  path: '/oauth2/v0/token',
  /** Every field of the answer is a string, `expires_in` included ("3600"). */
  answerFields: ['expires_in', 'scope', 'token_type', 'access_token', 'refresh_token', 'geolocation', 'id_token'],
  accessTokenSeconds: '3600',
  credtypes: ['authtoken', 'password'],
  /** 4xx answers of the token service. */
  errorKeys: ['code', 'error', 'error_description', 'geolocation'],
  /** The `/token` error codes the simulator answers with. */
  errors: {
    5: { error: 'invalid_grant', description: 'Incorrect credentials. Please Retry' },
    16: { error: 'invalid_request', description: 'user lives elsewhere' },
    61: { error: 'invalid_client', description: 'client not found' },
    62: { error: 'invalid_request', description: '`client_id` was not supplied' },
    63: { error: 'invalid_request', description: '`client_secret` was not supplied' },
    64: { error: 'invalid_client', description: 'Incorrect credentials. Please Retry' },
    65: { error: 'invalid_request', description: '`grant_type` was not supplied' },
    106: { error: 'invalid_request', description: '`refresh_token` was not supplied' },
    108: { error: 'invalid_grant', description: 'bad or expired refresh token' },
    120: { error: 'invalid_request', description: '`credtype` is invalid' },
  },
} as const;

export type TokenErrorCode = keyof (typeof TOKEN)['errors'];
