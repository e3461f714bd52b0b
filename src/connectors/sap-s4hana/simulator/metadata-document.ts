/**
 * `GET <service>/$metadata`: the service's EDMX as SAP Gateway answers it (OData v2, `sap:`
 * annotations), written from the contract facts the simulator enforces — the entity sets, properties,
 * navigations and function imports it serves, as the published metadata states them.
 */
import type { ODataServiceFact, PropertyFact } from '../contract-facts/index.js';

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const local = (qualified: string): string => qualified.slice(qualified.lastIndexOf('.') + 1);

function property(name: string, p: PropertyFact): string {
  const attrs = [
    `Name="${escape(name)}"`,
    `Type="${p.type}"`,
    ...(p.nullable === false ? ['Nullable="false"'] : []),
    ...(p.maxLength === undefined ? [] : [`MaxLength="${p.maxLength}"`]),
    ...(p.precision === undefined ? [] : [`Precision="${p.precision}"`]),
    ...(p.scale === undefined ? [] : [`Scale="${p.scale}"`]),
    ...(p.creatable === false ? ['sap:creatable="false"'] : []),
    ...(p.updatable === false ? ['sap:updatable="false"'] : []),
  ];
  return `<Property ${attrs.join(' ')}/>`;
}

/** The EDMX of one service, from its facts. */
export function metadataDocument(facts: ODataServiceFact): string {
  const ns = facts.namespace;
  const types: string[] = [];
  const associations: string[] = [];
  const sets: string[] = [];
  for (const [setName, set] of Object.entries(facts.entitySets)) {
    const typeName = local(set.entityType);
    const keys = Object.entries(set.properties).filter(([, p]) => p.key === true);
    const navigations = Object.entries(set.navigations ?? {}).map(([name, nav]) => {
      const association = `assoc_${typeName}_${name}`;
      const target = facts.entitySets[nav.target]?.entityType ?? `${ns}.${nav.target}Type`;
      associations.push(
        `<Association Name="${association}"><End Type="${set.entityType}" Multiplicity="1" Role="FromRole_${association}"/>` +
          `<End Type="${target}" Multiplicity="${nav.many ? '*' : '0..1'}" Role="ToRole_${association}"/></Association>`,
      );
      return `<NavigationProperty Name="${name}" Relationship="${ns}.${association}" FromRole="FromRole_${association}" ToRole="ToRole_${association}"/>`;
    });
    types.push(
      `<EntityType Name="${typeName}"><Key>${keys.map(([name]) => `<PropertyRef Name="${name}"/>`).join('')}</Key>` +
        Object.entries(set.properties)
          .map(([name, p]) => property(name, p))
          .join('') +
        navigations.join('') +
        '</EntityType>',
    );
    const flags = (['creatable', 'updatable', 'deletable'] as const)
      .filter((f) => !set[f])
      .map((f) => ` sap:${f}="false"`);
    sets.push(`<EntitySet Name="${setName}" EntityType="${set.entityType}"${flags.join('')}/>`);
  }
  const functions = Object.entries(facts.functionImports ?? {}).map(
    ([name, fi]) =>
      `<FunctionImport Name="${name}" ReturnType="${fi.returnType}" m:HttpMethod="${fi.httpMethod}">` +
      Object.entries(fi.parameters)
        .map(
          ([pName, p]) =>
            `<Parameter Name="${pName}" Type="${p.type}" Mode="In"${p.maxLength === undefined ? '' : ` MaxLength="${p.maxLength}"`}` +
            ` Nullable="${p.optional ? 'true' : 'false'}"/>`,
        )
        .join('') +
      '</FunctionImport>',
  );
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx" ' +
    'xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" xmlns:sap="http://www.sap.com/Protocols/SAPData">' +
    '<edmx:DataServices m:DataServiceVersion="2.0">' +
    `<Schema Namespace="${ns}" xml:lang="en" sap:schema-version="1" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">` +
    types.join('') +
    associations.join('') +
    `<EntityContainer Name="${ns}_Entities" m:IsDefaultEntityContainer="true">${sets.join('')}${functions.join('')}</EntityContainer>` +
    '</Schema></edmx:DataServices></edmx:Edmx>'
  );
}
