/**
 * Re-derives the Concur contract facts from the vendor's published artifacts
 * (`../shared/reference/contracts/sap-concur/` beside the repository) and fails on any difference.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  FIS_EXAMPLE_ENVELOPE,
  FIS_ITEM_RESULTS,
  FIS_PAGE,
  FIS_REQUEST,
  FIS_REQUESTS,
  FIS_SERVICE_CODES,
  LIST_ERROR,
  LIST_ITEMS,
  TOKEN,
} from './concur-contract-facts.js';

const DIR = join(process.cwd(), '..', 'shared', 'reference', 'contracts', 'sap-concur');
const EXAMPLES = join(process.cwd(), '..', 'shared', 'fixtures', 'concur-fis');
const present = existsSync(DIR);

interface SwaggerParameter {
  name: string;
  in: string;
  enum?: string[];
  default?: unknown;
  schema?: { $ref?: string };
}
interface SwaggerDefinition {
  required?: string[];
  properties?: Record<string, { enum?: string[]; type?: string }>;
  items?: { $ref?: string };
}
interface Swagger {
  paths: Record<string, Record<string, { parameters?: SwaggerParameter[]; responses: Record<string, unknown> }>>;
  definitions: Record<string, SwaggerDefinition>;
}

const read = (name: string): string => readFileSync(join(DIR, name), 'utf8');
const swagger = (name: string): Swagger => JSON.parse(read(name)) as Swagger;
const sorted = (values: readonly string[]): string[] => [...values].sort();
const keys = (definition: SwaggerDefinition | undefined): string[] => sorted(Object.keys(definition?.properties ?? {}));

/** The rows of the Markdown table that follows `heading` (first table after it), as cell arrays. */
function table(markdown: string, heading: RegExp): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => heading.test(l));
  assert.ok(start >= 0, `heading ${String(heading)} not found`);
  const rows: string[][] = [];
  let inTable = false;
  for (const line of lines.slice(start + 1)) {
    const isRow = line.includes('|');
    if (!isRow && inTable) break;
    if (!isRow) continue;
    inTable = true;
    const cells = line
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((c) => c.trim().replace(/^`([^`]*)`$/, '$1'));
    if (cells.every((c) => /^-*$/.test(c))) continue;
    rows.push(cells);
  }
  return rows.slice(1);
}

describe('concur contract facts against the published artifacts', () => {
  const skip = (t: { skip: (message: string) => void }): boolean => {
    if (!present) t.skip(`the vendor artifacts are not at ${DIR}`);
    return !present;
  };

  test('FIS GET: path, docType values, parameters, header values, paging', (t) => {
    if (skip(t)) return;
    const fis = swagger('FinancialIntegrationService.swagger2.json');
    const get = fis.paths[FIS_REQUEST.transactionsPath]?.['get'];
    assert.ok(get, 'transactions path');
    const params = get.parameters ?? [];
    assert.deepEqual(params.find((p) => p.name === 'docType')?.enum, [...FIS_REQUEST.docTypes]);
    assert.deepEqual(
      sorted(params.filter((p) => p.in === 'query').map((p) => p.name)),
      sorted(FIS_REQUEST.queryParameters),
    );
    assert.deepEqual(params.find((p) => p.name === 'ignoreDocumentStatus')?.enum, [
      ...FIS_REQUEST.ignoreDocumentStatusValues,
    ]);
    const header = params.find((p) => p.in === 'header' && p.name.toLowerCase() === FIS_REQUEST.documentFormatHeader);
    assert.deepEqual(header?.enum, [...FIS_REQUEST.documentFormatValues]);
    for (const op of FIS_REQUEST.operations)
      assert.ok(fis.paths[`${FIS_REQUEST.transactionsPath}/${op}`]?.['post'], op);

    const page = read('v4.financial-integration.markdown');
    const rows = table(page, /name="get-transactions"/);
    const limit = rows.find((r) => r[0] === 'limit')?.[3] ?? '';
    assert.match(limit, new RegExp(`Default: ${FIS_REQUEST.defaultLimit}\\.`));
    assert.doesNotMatch(limit, /max/i, 'a maximum for limit is now published');
    const systemId = rows.find((r) => r[0] === 'systemId')?.[3] ?? '';
    assert.match(systemId, new RegExp(`Maximum ${FIS_REQUEST.systemIdMaxLength} characters`));
    const number = table(page, /name="schema-PageMetadata"/).find((r) => r[0] === 'number')?.[3] ?? '';
    assert.match(number, new RegExp(`first page starts with ${FIS_REQUEST.firstPage}`));
    assert.match(page, new RegExp(`\`${FIS_REQUEST.scope}\`\\|`));
    const hrefs = [...page.matchAll(/"href" : "([^"]+)"/g)].map((m) => new URL(m[1] ?? ''));
    assert.ok(hrefs.length >= 4);
    for (const href of hrefs)
      assert.deepEqual(sorted([...href.searchParams.keys()]), sorted(FIS_REQUEST.linkQueryParameters));
  });

  test('FIS GET answer: envelope, page, link and document keys, the 11 docStatus values', (t) => {
    if (skip(t)) return;
    const defs = swagger('FinancialIntegrationService.swagger2.json').definitions;
    assert.deepEqual(keys(defs['PagedResources.Resource.FIDocument']), sorted(FIS_PAGE.envelopeKeys));
    assert.deepEqual(keys(defs['PageMetadata']), sorted(FIS_PAGE.pageKeys));
    assert.deepEqual(keys(defs['Link']), sorted(FIS_PAGE.linkKeys));
    assert.deepEqual(keys(defs['Resource.FIDocument']), sorted(FIS_PAGE.documentKeys));
    assert.deepEqual(
      sorted(defs['Resource.FIDocument']?.properties?.['docStatus']?.enum ?? []),
      sorted(FIS_PAGE.docStatuses),
    );
    const page = read('v4.financial-integration.markdown');
    for (const rel of FIS_PAGE.linkRels) assert.match(page, new RegExp(`"rel" : "${rel}"`));
  });

  test('the envelope of the published example documents', (t) => {
    if (!existsSync(EXAMPLES)) {
      t.skip(`the published FIS examples are not at ${EXAMPLES}`);
      return;
    }
    const names = readdirSync(EXAMPLES).filter((n) => n.endsWith('.json'));
    assert.ok(names.length > 0);
    for (const name of names) {
      const body = JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8')) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body), [...FIS_EXAMPLE_ENVELOPE.keys], name);
      assert.ok(Array.isArray(body[FIS_EXAMPLE_ENVELOPE.documentsKey]), name);
    }
  });

  test('FIS request models: keys, required fields and value lists', (t) => {
    if (skip(t)) return;
    const defs = swagger('FinancialIntegrationService.swagger2.json').definitions;
    const check = (name: string, fact: { keys: readonly string[]; required?: readonly string[] }, extra = 0): void => {
      const have = keys(defs[name]);
      const want = sorted(fact.keys);
      assert.deepEqual(want.filter((k) => !have.includes(k)).length, extra, `${name} keys`);
      assert.ok(
        have.every((k) => want.includes(k)),
        `${name}: ${have.join(',')}`,
      );
      if (fact.required !== undefined)
        assert.deepEqual(sorted(defs[name]?.required ?? []), sorted(fact.required), name);
    };
    check('AcknowledgeRequest', FIS_REQUESTS.acknowledge);
    check('confirmationrequest', FIS_REQUESTS.postingConfirmation);
    check('postingrequest', FIS_REQUESTS.postingItem);
    check('postingdocs', FIS_REQUESTS.postingDoc);
    check('systemmsg', FIS_REQUESTS.systemMessage);
    check('paymentrequest', FIS_REQUESTS.paymentConfirmation);
    check('paymentconfirmationrequest', FIS_REQUESTS.paymentItem, 1);
    check('paymentdocs', FIS_REQUESTS.clearingDetail);
    check('receiver', FIS_REQUESTS.receiver);
    check('clearing-reference', FIS_REQUESTS.clearingReference);

    const page = read('v4.financial-integration.markdown');
    const item = table(page, /name="schema-paymentconfirmationrequest"/);
    assert.ok(item.some((r) => r[0] === 'additionalMessage'));
    const statuses = item.find((r) => r[0] === 'processingStatusCode')?.[3] ?? '';
    assert.deepEqual(
      [...statuses.matchAll(/`([A-Z]{2})`/g)].map((m) => m[1]),
      [...FIS_REQUESTS.processingStatusCodes],
    );
    const method = table(page, /name="schema-clearing-reference"/).find((r) => r[0] === 'paymentMethod')?.[3] ?? '';
    assert.deepEqual(
      [...method.matchAll(/`([A-Z])`/g)].map((m) => m[1]),
      [...FIS_REQUESTS.paymentMethods],
    );
    const overall = table(page, /name="schema-postingrequest"/).find((r) => r[0] === 'overallPostingStatusCode')?.[3];
    assert.match(overall ?? '', new RegExp(`VALUES: ${FIS_REQUESTS.overallPostingStatusCodes.join(' or ')}\\.`));
  });

  test('FIS answers: top-level arrays of per-item results with their keys and result values', (t) => {
    if (skip(t)) return;
    const fis = swagger('FinancialIntegrationService.swagger2.json');
    const ack = fis.paths[`${FIS_REQUEST.transactionsPath}/acknowledgements`]?.['post']?.responses['200'];
    assert.deepEqual(ack, { description: 'OK', schema: { $ref: '#/definitions/AcknowledgeResponse' } });
    assert.deepEqual(fis.definitions['AcknowledgeResponse']?.items, { $ref: '#/definitions/AcknowledgeResponseItem' });
    for (const [op, def] of [
      ['postingconfirmations', 'PostingConfirmationResponseItem'],
      ['paymentconfirmations', 'PaymentConfirmationResponseItem'],
    ] as const) {
      const answer = fis.paths[`${FIS_REQUEST.transactionsPath}/${op}`]?.['post']?.responses['200'] as
        { schema?: { type?: string; items?: { $ref?: string } } } | undefined;
      assert.equal(answer?.schema?.type, 'array');
      assert.equal(answer?.schema?.items?.$ref, `#/definitions/${def}`);
    }
    const pairs = [
      ['AcknowledgeResponseItem', FIS_ITEM_RESULTS.acknowledge],
      ['PostingConfirmationResponseItem', FIS_ITEM_RESULTS.postingConfirmation],
      ['PaymentConfirmationResponseItem', FIS_ITEM_RESULTS.paymentConfirmation],
    ] as const;
    for (const [name, fact] of pairs) {
      assert.deepEqual(keys(fis.definitions[name]), sorted(fact.keys), name);
      assert.deepEqual(fis.definitions[name]?.properties?.[fact.resultKey]?.enum, [...fact.results], name);
    }
  });

  test('FIS service codes: the published table, and 298 NOOP from the payment example', (t) => {
    if (skip(t)) return;
    const page = read('v4.financial-integration.markdown');
    const rows = table(page, /name="service-codes"/);
    const published = Object.entries(FIS_SERVICE_CODES.codes).filter(
      ([code]) => Number(code) !== FIS_SERVICE_CODES.noop,
    );
    assert.deepEqual(
      rows.map((r) => [Number(r[0]), r[1], r[2]]),
      published.map(([code, v]) => [Number(code), v.description, v.category]),
    );
    assert.match(page, new RegExp(`"code" : ${FIS_SERVICE_CODES.noop},[^}]*"paymentConfirmationResult" : "NOOP"`));
  });

  test('List Item v4: paths, children parameters, 1-based pages of 100, item and bodies, error body, scopes', (t) => {
    if (skip(t)) return;
    const items = swagger('ListItem.swagger2.json');
    const children = items.paths[LIST_ITEMS.listChildrenPath]?.['get']?.parameters ?? [];
    assert.deepEqual(
      sorted(children.filter((p) => p.in === 'query').map((p) => p.name)),
      sorted(LIST_ITEMS.childrenQueryParameters),
    );
    assert.equal(children.find((p) => p.name === 'page')?.default, LIST_ITEMS.firstPage);
    assert.deepEqual(children.find((p) => p.name === 'sortBy')?.enum, [...LIST_ITEMS.sortBy]);
    assert.deepEqual(children.find((p) => p.name === 'sortDirection')?.enum, [...LIST_ITEMS.sortDirection]);
    assert.ok(items.paths[LIST_ITEMS.createPath]?.['post']);
    assert.ok(items.paths[LIST_ITEMS.itemPath]?.['put']);
    assert.ok(items.paths[LIST_ITEMS.deleteEverywherePath]?.['delete']);
    assert.ok(items.paths[LIST_ITEMS.deleteFromListPath]?.['delete']);
    assert.deepEqual(keys(items.definitions['ListItem']), sorted(LIST_ITEMS.itemKeys));
    assert.deepEqual(keys(items.definitions['ListItemMemberList']), sorted(LIST_ITEMS.memberListKeys));
    assert.deepEqual(keys(items.definitions['ListItemCreate']), sorted(LIST_ITEMS.create.keys));
    assert.deepEqual(sorted(items.definitions['ListItemCreate']?.required ?? []), sorted(LIST_ITEMS.create.required));
    assert.deepEqual(keys(items.definitions['ListItemUpdate']), sorted(LIST_ITEMS.update.keys));
    assert.deepEqual(sorted(items.definitions['ListItemUpdate']?.required ?? []), sorted(LIST_ITEMS.update.required));

    const page = read('v4.list-item.markdown');
    const meta = table(page, /name="schema-page-metadata"/);
    assert.match(meta.find((r) => r[0] === 'size')?.[3] ?? '', new RegExp(`fixed at ${LIST_ITEMS.pageSize}\\.`));
    assert.match(
      page,
      new RegExp(`Page number starting from ${LIST_ITEMS.firstPage}\\. Default: \`${LIST_ITEMS.firstPage}\``),
    );
    assert.match(page, /"code": "ITEM-SECOND LEVEL ITEM",\s+"shortCode": "SECOND LEVEL ITEM"/);
    assert.match(page, /deleted from all lists/);
    assert.match(page, /deleting a shared list item from one list, not all lists/);
    for (const scope of Object.values(LIST_ITEMS.scopes)) assert.match(page, new RegExp(`\`${scope}\`\\|`));

    for (const file of ['ListItem.swagger2.json', 'List.swagger2.json']) {
      const defs = swagger(file).definitions;
      assert.deepEqual(keys(defs['ErrorMessage']), sorted(LIST_ERROR.keys), file);
      assert.deepEqual(sorted(defs['ErrorMessage']?.required ?? []), sorted(LIST_ERROR.required), file);
      assert.deepEqual(keys(defs['Message']), sorted(LIST_ERROR.messageKeys), file);
      assert.deepEqual(keys(defs['ValidationError']), sorted(LIST_ERROR.validationErrorKeys), file);
    }
  });

  test('tokens: answer fields all strings, expires_in "3600", credtype values, error body and codes', (t) => {
    if (skip(t)) return;
    const page = read('apidoc.markdown');
    const rows = table(page, /name="access_token"/);
    assert.deepEqual(
      rows.map((r) => [r[0], r[1]]),
      TOKEN.answerFields.map((f) => [f, 'string']),
    );
    assert.match(page, new RegExp(`"expires_in": "${TOKEN.accessTokenSeconds}"`));
    assert.match(page, /"geolocation": "https:\/\/us\.api\.concursolutions\.com"/);
    assert.match(page, new RegExp(`supported values: \`${TOKEN.credtypes.join('` and `')}\``));
    const errorBody =
      /4xx class errors have a JSON response[\s\S]*?```json\s*(\{[\s\S]*?\})\s*```/.exec(page)?.[1] ?? '';
    assert.deepEqual(
      [...errorBody.matchAll(/"([a-z_]+)":/g)].map((m) => m[1]),
      [...TOKEN.errorKeys],
    );
    const codes = table(page, /^##### \/token/);
    for (const [code, fact] of Object.entries(TOKEN.errors)) {
      const row = codes.find((r) => r[0] === code);
      assert.ok(row, `token error ${code}`);
      assert.deepEqual([row[1], row[2]], [fact.error, fact.description], `token error ${code}`);
    }
    assert.ok(page.includes(TOKEN.path), 'token path');
  });
});
