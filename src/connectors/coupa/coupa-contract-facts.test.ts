/**
 * Re-derives the Coupa contract facts from the vendor's artifacts (R39 OpenAPI files and Compass
 * pages in `shared/reference/contracts/coupa/`) and fails on any difference. Skipped only when that
 * folder is not there.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { COUPA_CONNECTOR_SCOPES } from './client.js';
import {
  COUPA_ENDPOINTS,
  COUPA_MODELS,
  COUPA_SCOPE_SOURCES,
  CORE,
  ERROR_SHAPE,
  INTEGRATION_DOCUMENT_TYPES_USED,
  INVOICE_STATUSES,
  INVOICING,
  MARK_EXPORTED,
  PAGE_TABLE_FACTS,
  PAGING,
  PURCHASE_ORDER_STATUSES,
  PURCHASE_ORDERS_PAGE,
  PURCHASING,
  QUERY_OPERATORS,
  SUPPLIER_INFORMATION_ADDRESS_KINDS,
  TOKEN_ENDPOINT,
} from './coupa-contract-facts.js';

const FOLDER = join(process.cwd(), '..', 'shared', 'reference', 'contracts', 'coupa');
const present = existsSync(FOLDER);
const SKIP = `the Coupa artifacts are not at ${FOLDER}`;

interface Property {
  readonly type?: string;
  readonly format?: string;
  readonly readOnly?: boolean;
  readonly enum?: readonly string[];
  readonly $ref?: string;
  readonly items?: Property;
}
interface Definition {
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, Property>>;
}
interface Parameter {
  readonly in: string;
  readonly name: string;
  readonly schema?: Property;
}
interface Operation {
  readonly parameters?: readonly Parameter[];
  readonly responses?: Readonly<Record<string, { readonly schema?: Property }>>;
}
interface OpenApi {
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
  readonly definitions: Readonly<Record<string, Definition>>;
  readonly securityDefinitions: Readonly<Record<string, { readonly scopes: Readonly<Record<string, string>> }>>;
}

const cache = new Map<string, OpenApi>();
function openApi(file: string): OpenApi {
  let doc = cache.get(file);
  if (doc === undefined) {
    doc = JSON.parse(readFileSync(join(FOLDER, file), 'utf8')) as OpenApi;
    cache.set(file, doc);
  }
  return doc;
}
const page = (file: string): string => readFileSync(join(FOLDER, file), 'utf8');
const refName = (ref: string): string => ref.slice(ref.lastIndexOf('/') + 1);

/** A property in the notation of coupa-contract-facts.ts. */
export function notationOf(property: Property): string {
  let text =
    property.$ref !== undefined
      ? refName(property.$ref)
      : property.type === 'array' && property.items !== undefined
        ? `${property.items.$ref === undefined ? String(property.items.type) : refName(property.items.$ref)}[]`
        : `${String(property.type)}${property.format === undefined ? '' : `:${property.format}`}`;
  if (property.readOnly === true) text += ' ro';
  if (property.enum !== undefined) text += ` enum(${property.enum.join('|')})`;
  return text;
}

/** A Compass element table as rows of column name → cell, keyed by the element (first column). */
function elementTable(markdown: string, element: string): Record<string, string> | undefined {
  let header: string[] | undefined;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      header = undefined;
      continue;
    }
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.replace(/\*\*/g, '').trim());
    if (header === undefined) {
      header = cells;
      continue;
    }
    if (cells[0] === element) return Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']));
  }
  return undefined;
}

describe(
  'Coupa contract facts, re-derived from the R39 OpenAPI files and Compass pages',
  { skip: !present && SKIP },
  () => {
    test('every endpoint the connector calls: path, method, query parameters and answer model', () => {
      for (const endpoint of COUPA_ENDPOINTS) {
        const where = `${endpoint.method} ${endpoint.path} (${endpoint.source})`;
        const operation = openApi(endpoint.source).paths[endpoint.path]?.[endpoint.method.toLowerCase()];
        assert.ok(operation !== undefined, `${where} is in the file`);
        const query = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
        assert.deepEqual([...query].sort(), [...endpoint.query].sort(), `${where}: query parameters`);
        const body = (operation.parameters ?? []).find((p) => p.in === 'body')?.schema;
        const answer = operation.responses?.['200']?.schema ?? operation.responses?.['201']?.schema;
        const model = body?.$ref ?? answer?.items?.$ref ?? answer?.$ref;
        assert.equal(model === undefined ? undefined : refName(model), endpoint.model, `${where}: model`);
      }
    });

    test('every model: required list and each field with type, format, read-only flag and values', () => {
      for (const [name, fact] of Object.entries(COUPA_MODELS)) {
        const definition = openApi(fact.source).definitions[name];
        assert.ok(definition !== undefined, `${name} is defined in ${fact.source}`);
        assert.deepEqual(definition.required ?? [], fact.required, `${name}.required`);
        for (const [field, notation] of Object.entries(fact.fields)) {
          const property: Property | undefined = definition.properties?.[field];
          assert.ok(property !== undefined, `${name}.${field} is in ${fact.source}`);
          assert.equal(notationOf(property), notation, `${name}.${field}`);
        }
      }
    });

    test('the remit-to address carries no bank account; supplier information addresses do', () => {
      const bank = /iban|bank|bic|swift/i;
      const remitTo = Object.keys(openApi(CORE).definitions['RemitToAddress']?.properties ?? {});
      assert.deepEqual(
        remitTo.filter((f) => bank.test(f)),
        [],
      );
      const information = Object.keys(openApi(CORE).definitions['SupplierInformationAddress']?.properties ?? {});
      for (const field of ['iban-number', 'international-bank-account-number', 'bank-account-number', 'bic'])
        assert.ok(information.includes(field), field);
    });

    test('value lists: invoice and purchase order statuses, document types, address kinds', () => {
      const values = (file: string, model: string, field: string): readonly string[] =>
        openApi(file).definitions[model]?.properties?.[field]?.enum ?? [];
      assert.deepEqual(values(INVOICING, 'InvoiceHeader', 'status'), INVOICE_STATUSES);
      assert.deepEqual(values(PURCHASING, 'OrderHeader', 'status'), PURCHASE_ORDER_STATUSES);
      const row = elementTable(page(PURCHASE_ORDERS_PAGE), 'status');
      assert.deepEqual(
        (row?.['Allowable Value'] ?? '').split(',').map((v) => v.trim()),
        PURCHASE_ORDER_STATUSES,
        'PO statuses on the Purchase Orders page',
      );
      for (const type of INTEGRATION_DOCUMENT_TYPES_USED) {
        assert.ok(values(CORE, 'IntegrationHistoryRecord', 'document-type').includes(type), type);
        assert.ok(values(CORE, 'IntegrationError', 'document-type').includes(type), type);
      }
      assert.deepEqual(values(CORE, 'SupplierInformationAddress', 'kind'), SUPPLIER_INFORMATION_ADDRESS_KINDS);
    });

    test('scopes: each one the connector asks for is in the named file, and it asks for exactly those', () => {
      assert.deepEqual([...COUPA_CONNECTOR_SCOPES].sort(), Object.keys(COUPA_SCOPE_SOURCES).sort());
      for (const [scope, file] of Object.entries(COUPA_SCOPE_SOURCES)) {
        const scopes = openApi(file).securityDefinitions['OAuth2ClientCredential']?.scopes ?? {};
        assert.ok(Object.hasOwn(scopes, scope), `${scope} in ${file} securityDefinitions`);
      }
    });

    test('special actions: mark exported by its own PUT with exported=true; the history record action exists', () => {
      const text = page(MARK_EXPORTED.source);
      assert.match(text, /Marking an object as exported requires its own request/);
      assert.ok(text.includes(`\`${MARK_EXPORTED.query}\``), MARK_EXPORTED.query);
      assert.match(text, /reset the exported flag to false/);
      const action = MARK_EXPORTED.historyRecordAction;
      assert.ok(openApi(action.source).paths[action.path]?.[action.method.toLowerCase()] !== undefined, action.path);
    });

    test('querying: at most 50 records per GET, paged by offset; the operators', () => {
      const text = page(PAGING.source);
      const max = /up to (\d+) records per API GET/.exec(text);
      assert.equal(Number(max?.[1]), PAGING.maxRecordsPerGet);
      assert.match(text, new RegExp(`rerun API get with an ${PAGING.pageBy}`));
      const operators: string[] = [];
      for (const line of text.split('## Supported Operators')[1]?.split('## Examples')[0]?.split('\n') ?? []) {
        const cell = /^\| `([a-z_]+)` \|/.exec(line);
        if (cell !== null) operators.push(cell[1]!);
      }
      assert.deepEqual(operators, QUERY_OPERATORS.operators);
    });

    test('error answer and token endpoint as the pages show them', () => {
      const sample = page(ERROR_SHAPE.source).split('## User Create with Errors')[1] ?? '';
      assert.match(sample, new RegExp(`"errors": \\{\\s*"${ERROR_SHAPE.sampleObjectKey}": \\[`));
      assert.ok(page(TOKEN_ENDPOINT.source).includes(`${TOKEN_ENDPOINT.path}\``), TOKEN_ENDPOINT.path);
    });

    test("element tables of the pages: what may be written ('In') and what is required", () => {
      for (const fact of PAGE_TABLE_FACTS) {
        const row = elementTable(page(fact.source), fact.element);
        assert.ok(row !== undefined, `${fact.element} on ${fact.source}`);
        if ('in' in fact) assert.equal(row['In'] === 'yes', fact.in, `${fact.element}: In`);
        if ('required' in fact) assert.equal(row["Req'd"] === 'yes', fact.required, `${fact.element}: Req'd`);
      }
    });
  },
);
