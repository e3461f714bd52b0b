/**
 * The journal entry request checked against the WSDL's schema as the contract facts keep it
 * (contract-facts/journal-entry-soap-facts.ts): the body holds `JournalEntryBulkCreateRequest`; in every
 * kept sequence the elements come in the XSD's order, each at most once unless unbounded, none missing
 * that the XSD requires and none the facts do not list; texts within their length; every `Amount` a
 * decimal with its required `currencyCode`. The first problem is answered as a SOAP fault by the caller.
 */
import { XMLParser } from 'fast-xml-parser';
import { JOURNAL_ENTRY_SOAP_FACTS, sequenceOf } from '../contract-facts/index.js';

type OrderedNode = Record<string, unknown>;

const ordered = new XMLParser({
  preserveOrder: true,
  processEntities: false,
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

const nameOf = (node: OrderedNode): string => Object.keys(node).find((k) => k !== ':@') ?? '';
const childrenOf = (node: OrderedNode): OrderedNode[] => {
  const value = node[nameOf(node)];
  return Array.isArray(value) ? (value as OrderedNode[]) : [];
};
const elementsOf = (node: OrderedNode): OrderedNode[] => childrenOf(node).filter((c) => nameOf(c) !== '#text');
const textOf = (node: OrderedNode): string =>
  childrenOf(node)
    .filter((c) => nameOf(c) === '#text')
    .map((c) => String(c['#text']))
    .join('')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
const attributeOf = (node: OrderedNode, name: string): string | undefined => {
  const value = (node[':@'] as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
};

const DECIMAL = /^-?\d+(\.\d+)?$/;

function checkSequence(children: readonly OrderedNode[], typeName: string, path: string): string | undefined {
  const sequence = sequenceOf(typeName);
  if (sequence === undefined) return undefined;
  let position = -1;
  const seen = new Set<string>();
  for (const child of children) {
    const name = nameOf(child);
    const index = sequence.findIndex((e) => e.name === name);
    const fact = sequence[index];
    if (fact === undefined) return `${path}/${name}: element not expected in ${typeName}`;
    if (index < position)
      return `${path}/${name}: out of order; ${typeName} expects ${sequence.map((e) => e.name).join(', ')}`;
    if (seen.has(name) && !fact.many) return `${path}/${name}: may occur only once`;
    position = index;
    seen.add(name);
    const here = `${path}/${name}`;
    if (fact.type === JOURNAL_ENTRY_SOAP_FACTS.amountType) {
      if (attributeOf(child, JOURNAL_ENTRY_SOAP_FACTS.amountAttribute) === undefined)
        return `${here}: the attribute ${JOURNAL_ENTRY_SOAP_FACTS.amountAttribute} is required`;
      if (!DECIMAL.test(textOf(child))) return `${here}: '${textOf(child)}' is not a decimal amount`;
      continue;
    }
    if (sequenceOf(fact.type) !== undefined) {
      const problem = checkSequence(elementsOf(child), fact.type, here);
      if (problem !== undefined) return problem;
      continue;
    }
    if (fact.maxLength !== undefined && textOf(child).length > fact.maxLength)
      return `${here}: longer than ${fact.maxLength} characters`;
  }
  const missing = sequence.find((e) => e.min === 1 && !seen.has(e.name));
  return missing === undefined ? undefined : `${path}/${missing.name}: required in ${typeName}`;
}

/** Why the request does not fit the WSDL, or undefined when it does. */
export function journalEntryRequestProblem(xml: string): string | undefined {
  let document: OrderedNode[];
  try {
    document = ordered.parse(xml) as OrderedNode[];
  } catch (error) {
    return `XML is not well formed: ${error instanceof Error ? error.message : String(error)}`;
  }
  const envelope = document.find((n) => nameOf(n) === 'Envelope');
  const body = envelope === undefined ? undefined : elementsOf(envelope).find((n) => nameOf(n) === 'Body');
  const request = body === undefined ? [] : elementsOf(body);
  const { element, type } = JOURNAL_ENTRY_SOAP_FACTS.request;
  if (request.length !== 1 || nameOf(request[0]!) !== element) return `the SOAP body must hold exactly one ${element}`;
  return checkSequence(elementsOf(request[0]!), type, element);
}
