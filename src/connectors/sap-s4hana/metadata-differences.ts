/**
 * What differs between an OData v2 `$metadata` document (EDMX) and the facts the connector relies on
 * for that service (contract-facts/): entity sets, their type and sap:creatable/updatable/deletable,
 * key properties, every kept property's EDM type, MaxLength, Precision/Scale, nullability and sap
 * flags, navigation targets and multiplicity, function imports with their method, return type and
 * parameters. Used by the facts test against the published artifacts and by
 * `ledgerlink connectors check` against a tenant's own `$metadata`.
 */
import { XMLParser } from 'fast-xml-parser';
import type { ODataServiceFact, PropertyFact } from './contract-facts/index.js';

export type XmlNode = Record<string, unknown>;
type Node = XmlNode;

/** EDMX elements that may repeat, read as lists. */
export const EDMX_LISTS: ReadonlySet<string> = new Set([
  'Schema',
  'EntityType',
  'Property',
  'NavigationProperty',
  'PropertyRef',
  'EntitySet',
  'FunctionImport',
  'Parameter',
  'Association',
  'End',
  'EntityContainer',
]);

/** An XML parser for SAP's metadata: attributes as `@name`, namespace prefixes dropped, `lists` always lists. */
export function sapXmlParser(lists: ReadonlySet<string>): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    processEntities: false,
    isArray: (name, _path, _leaf, isAttribute) => !isAttribute && lists.has(name),
  });
}

const parser = sapXmlParser(EDMX_LISTS);

export const list = (value: unknown): Node[] => (Array.isArray(value) ? (value as Node[]) : []);
export const attr = (node: Node | undefined, name: string): string | undefined => {
  const value = node?.[`@${name}`];
  return typeof value === 'string' ? value : undefined;
};
const flag = (node: Node, name: string): boolean => attr(node, name) !== 'false';
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The schemas of an EDMX document. */
export function edmxSchemas(xml: string): Node[] {
  const doc = parser.parse(xml) as Node;
  const edmx = doc['Edmx'] as Node | undefined;
  return list((edmx?.['DataServices'] as Node | undefined)?.['Schema']);
}

/** The property as the EDMX states it, in the facts' shape (only what the facts can say). */
function propertyOf(p: Node, keys: readonly string[]): PropertyFact {
  const num = (name: string): number | undefined => {
    const value = attr(p, name);
    return value === undefined ? undefined : Number(value);
  };
  const [maxLength, precision, scale] = [num('MaxLength'), num('Precision'), num('Scale')];
  return {
    type: attr(p, 'Type') as PropertyFact['type'],
    ...(maxLength === undefined ? {} : { maxLength }),
    ...(precision === undefined ? {} : { precision }),
    ...(scale === undefined ? {} : { scale }),
    ...(keys.includes(attr(p, 'Name') ?? '') ? { key: true } : {}),
    ...(attr(p, 'Nullable') === 'false' ? { nullable: false } : {}),
    ...(attr(p, 'creatable') === 'false' ? { creatable: false } : {}),
    ...(attr(p, 'updatable') === 'false' ? { updatable: false } : {}),
  };
}

function entitySetDifferences(schema: Node, facts: ODataServiceFact, setName: string): string[] {
  const set = facts.entitySets[setName]!;
  const container = list(schema['EntityContainer'])[0];
  const edmxSet = list(container?.['EntitySet']).find((s) => attr(s, 'Name') === setName);
  if (edmxSet === undefined) return [`entity set ${setName} is missing`];
  const out: string[] = [];
  if (attr(edmxSet, 'EntityType') !== set.entityType)
    out.push(`${setName}: entity type ${String(attr(edmxSet, 'EntityType'))}, expected ${set.entityType}`);
  for (const name of ['creatable', 'updatable', 'deletable'] as const) {
    if (flag(edmxSet, name) !== set[name]) out.push(`${setName}: sap:${name} is ${String(flag(edmxSet, name))}`);
  }
  const type = list(schema['EntityType']).find((t) => `${facts.namespace}.${attr(t, 'Name') ?? ''}` === set.entityType);
  if (type === undefined) return [...out, `${setName}: entity type ${set.entityType} is missing`];
  const keys = list((type['Key'] as Node | undefined)?.['PropertyRef']).map((r) => attr(r, 'Name') ?? '');
  const keptKeys = Object.entries(set.properties)
    .filter(([, p]) => p.key === true)
    .map(([name]) => name);
  if (!same([...keptKeys].sort(), [...keys].sort()))
    out.push(`${setName}: keys ${keys.join(', ')}, expected ${keptKeys.join(', ')}`);
  const properties = list(type['Property']);
  for (const [name, fact] of Object.entries(set.properties)) {
    const p = properties.find((x) => attr(x, 'Name') === name);
    if (p === undefined) out.push(`${setName}.${name} is missing`);
    else if (!same(propertyOf(p, keys), fact))
      out.push(`${setName}.${name}: ${JSON.stringify(propertyOf(p, keys))}, expected ${JSON.stringify(fact)}`);
  }
  const associations = list(schema['Association']);
  for (const [name, nav] of Object.entries(set.navigations ?? {})) {
    const n = list(type['NavigationProperty']).find((x) => attr(x, 'Name') === name);
    if (n === undefined) {
      out.push(`${setName}.${name}: navigation is missing`);
      continue;
    }
    const association = associations.find(
      (a) => `${facts.namespace}.${attr(a, 'Name') ?? ''}` === attr(n, 'Relationship'),
    );
    const end = list(association?.['End']).find((e) => attr(e, 'Role') === attr(n, 'ToRole'));
    if (
      attr(end, 'Type') !== facts.entitySets[nav.target]?.entityType ||
      (attr(end, 'Multiplicity') === '*') !== nav.many
    )
      out.push(`${setName}.${name}: leads to ${String(attr(end, 'Type'))} (${String(attr(end, 'Multiplicity'))})`);
  }
  return out;
}

function functionImportDifferences(schema: Node, facts: ODataServiceFact): string[] {
  const container = list(schema['EntityContainer'])[0];
  const out: string[] = [];
  for (const [name, fi] of Object.entries(facts.functionImports ?? {})) {
    const f = list(container?.['FunctionImport']).find((x) => attr(x, 'Name') === name);
    if (f === undefined) {
      out.push(`function import ${name} is missing`);
      continue;
    }
    if (attr(f, 'HttpMethod') !== fi.httpMethod) out.push(`${name}: HTTP method ${String(attr(f, 'HttpMethod'))}`);
    if (attr(f, 'ReturnType') !== fi.returnType) out.push(`${name}: return type ${String(attr(f, 'ReturnType'))}`);
    const parameters = Object.fromEntries(
      list(f['Parameter']).map((p) => [
        attr(p, 'Name') ?? '',
        {
          type: attr(p, 'Type'),
          ...(attr(p, 'MaxLength') === undefined ? {} : { maxLength: Number(attr(p, 'MaxLength')) }),
          optional: attr(p, 'Nullable') === 'true',
        },
      ]),
    );
    if (!same(parameters, fi.parameters)) out.push(`${name}: parameters ${JSON.stringify(parameters)}`);
  }
  return out;
}

/** Every way the EDMX differs from the facts kept for the service; empty when they hold. */
export function metadataDifferences(xml: string, facts: ODataServiceFact): string[] {
  let schemas: Node[];
  try {
    schemas = edmxSchemas(xml);
  } catch (error) {
    return [`not an EDMX document: ${error instanceof Error ? error.message : String(error)}`];
  }
  const schema = schemas.find((s) => attr(s, 'Namespace') === facts.namespace);
  if (schema === undefined) return [`no schema ${facts.namespace}`];
  return [
    ...Object.keys(facts.entitySets).flatMap((set) => entitySetDifferences(schema, facts, set)),
    ...functionImportDifferences(schema, facts),
  ];
}
