/**
 * Re-derives every SAP contract fact Ledgerlink keeps (contract-facts/) from the vendor artifacts in
 * `shared/reference/contracts/sap-s4hana/` (EDMX and WSDL, parsed with fast-xml-parser) and fails on any
 * difference. Skipped, with a message, only when the contracts folder is not there.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { attr, EDMX_LISTS, list, metadataDifferences, sapXmlParser, type XmlNode } from './metadata-differences.js';
import {
  GL_ACCOUNT_TYPES,
  JOURNAL_ENTRY_SOAP_FACTS,
  ODATA_SERVICE_FACTS,
  type ODataServiceFact,
} from './contract-facts/index.js';

const CONTRACTS = join(process.cwd(), '..', 'shared', 'reference', 'contracts');
const SAP = join(CONTRACTS, 'sap-s4hana');
const MISSING = `the vendor contracts are not at ${CONTRACTS}`;

type Node = XmlNode;
const parser = sapXmlParser(new Set([...EDMX_LISTS, 'complexType', 'simpleType', 'element', 'attribute', 'schema']));

function checkService(url: string, facts: ODataServiceFact): void {
  const xml = readFileSync(join(SAP, facts.artifact), 'utf8');
  assert.deepEqual(metadataDifferences(xml, facts), [], `${facts.artifact} (${url}): the facts hold`);
}

describe('SAP contract facts match the vendor artifacts', () => {
  for (const [url, facts] of Object.entries(ODATA_SERVICE_FACTS)) {
    test(`${url} (${facts.artifact})`, (t) => {
      if (!existsSync(SAP)) return t.skip(MISSING);
      checkService(url, facts);
    });
  }

  test('GLAccountType values as API_GLACCOUNTINCHARTOFACCOUNTS_SRV documents them', (t) => {
    if (!existsSync(SAP)) return t.skip(MISSING);
    const text = readFileSync(join(SAP, 'API_GLACCOUNTINCHARTOFACCOUNTS_SRV.edmx'), 'utf8');
    const doc = /<Property Name="GLAccountType"[\s\S]*?<LongDescription>([\s\S]*?)<\/LongDescription>/.exec(text)?.[1];
    assert.ok(doc !== undefined, 'GLAccountType is documented');
    const values = [...doc.matchAll(/([A-Z]) - /g)].map((m) => m[1]);
    assert.deepEqual(values, Object.keys(GL_ACCOUNT_TYPES), 'the documented values, in order');
    for (const [value, meaning] of Object.entries(GL_ACCOUNT_TYPES))
      assert.ok(doc.includes(`${value} - ${meaning}`), `${value} means ${meaning}`);
  });

  test(`journal entry SOAP service (${JOURNAL_ENTRY_SOAP_FACTS.artifact})`, (t) => {
    if (!existsSync(SAP)) return t.skip(MISSING);
    checkWsdl();
  });
});

function checkWsdl(): void {
  const facts = JOURNAL_ENTRY_SOAP_FACTS;
  const text = readFileSync(join(SAP, facts.artifact), 'utf8');
  const doc = parser.parse(text) as Node;
  const definitions = doc['definitions'] as Node;
  assert.equal(attr(definitions, 'targetNamespace'), facts.namespace, 'target namespace');
  const schema = list((definitions['types'] as Node)['schema'])[0] ?? {};
  const complex = new Map(list(schema['complexType']).map((c) => [attr(c, 'name') ?? '', c]));
  const simple = new Map(list(schema['simpleType']).map((s) => [attr(s, 'name') ?? '', s]));
  const lengthOf = (typeName: string): number | undefined => {
    const s = simple.get(typeName);
    if (s === undefined) {
      const base = attr((complex.get(typeName)?.['simpleContent'] as Node | undefined)?.['extension'] as Node, 'base');
      return base === undefined ? undefined : lengthOf(base);
    }
    const restriction = s['restriction'] as Node | undefined;
    const max =
      attr(restriction?.['maxLength'] as Node | undefined, 'value') ??
      attr(restriction?.['length'] as Node | undefined, 'value');
    if (max !== undefined) return Number(max);
    const base = attr(restriction, 'base');
    return base === undefined || base.startsWith('xsd:') ? undefined : lengthOf(base);
  };
  const elements = list(schema['element']);
  assert.equal(
    attr(
      elements.find((e) => attr(e, 'name') === facts.request.element),
      'type',
    ),
    facts.request.type,
    'request element',
  );
  assert.equal(
    attr(
      elements.find((e) => attr(e, 'name') === facts.confirmation.element),
      'type',
    ),
    facts.confirmation.type,
    'confirmation element',
  );
  const amount = (complex.get(facts.amountType)?.['simpleContent'] as Node)['extension'] as Node;
  const currency = list(amount['attribute']).find((a) => attr(a, 'name') === facts.amountAttribute);
  assert.equal(attr(currency, 'use'), 'required', 'Amount has a required currencyCode');
  for (const [typeName, kept] of Object.entries(facts.sequences)) {
    const sequence = list((complex.get(typeName)?.['sequence'] as Node | undefined)?.['element']).map((e) => ({
      name: attr(e, 'name') ?? '',
      type: attr(e, 'type') ?? '',
      min: attr(e, 'minOccurs') === '0' ? 0 : 1,
      many: attr(e, 'maxOccurs') === 'unbounded',
      maxLength: lengthOf(attr(e, 'type') ?? ''),
    }));
    assert.ok(sequence.length > 0, `${typeName}: a sequence in the XSD`);
    const inXsd = sequence.filter((e) => kept.some((k) => k.name === e.name));
    assert.deepEqual(
      inXsd.map(({ maxLength, ...e }) => (maxLength === undefined ? e : { ...e, maxLength })),
      kept.map((k) => ({ ...k })),
      `${typeName}: the kept elements, in the XSD's order, with type, occurrence and length`,
    );
    for (const required of sequence.filter((e) => e.min === 1))
      assert.ok(
        kept.some((k) => k.name === required.name),
        `${typeName}.${required.name}: required elements are kept`,
      );
  }
  const operation = /<soap:operation soapAction="([^"]+)"/.exec(text)?.[1];
  assert.equal(operation, facts.soapAction, 'soapAction of the SOAP 1.1 binding');
  assert.ok(text.includes(`name="${facts.portType}"`), 'port type');
  assert.ok(text.includes(facts.path), 'endpoint path');
}
