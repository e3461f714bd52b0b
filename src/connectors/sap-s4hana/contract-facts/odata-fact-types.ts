/**
 * The shape of what Ledgerlink keeps from SAP's OData v2 `$metadata` (EDMX) files: per service the
 * entity sets it uses with their entity type, the sap:creatable/updatable/deletable flags of the set,
 * the properties it reads or writes (EDM type, MaxLength, Precision/Scale, key, nullable, the
 * sap:creatable/sap:updatable flags of the property), the navigation properties it follows, and the
 * function imports it calls with their parameters. Plain data; `sap-contract-facts.test.ts` re-derives
 * every fact from the artifact it names and fails on any difference.
 *
 * The helpers below only spell the data shorter: `str(4, KEY)` is
 * `{ type: 'Edm.String', maxLength: 4, key: true, nullable: false }`.
 */

export type EdmType =
  | 'Edm.String'
  | 'Edm.Boolean'
  | 'Edm.DateTime'
  | 'Edm.DateTimeOffset'
  | 'Edm.Decimal'
  | 'Edm.Guid'
  | 'Edm.Time'
  | 'Edm.Int32';

export interface PropertyFact {
  readonly type: EdmType;
  readonly maxLength?: number;
  readonly precision?: number;
  readonly scale?: number;
  /** A key property of the entity type. */
  readonly key?: true;
  /** `Nullable="false"` (every key is). */
  readonly nullable?: false;
  /** `sap:creatable="false"`: a create must not send it. */
  readonly creatable?: false;
  /** `sap:updatable="false"`: an update must not send it. */
  readonly updatable?: false;
}

export interface NavigationFact {
  /** The entity set the navigation leads to (in the same service). */
  readonly target: string;
  /** `*` multiplicity at the target end (a collection), else a single entity. */
  readonly many: boolean;
}

export interface EntitySetFact {
  /** Qualified entity type name, e.g. `API_COSTCENTER_SRV.A_CostCenterType`. */
  readonly entityType: string;
  /** sap:creatable/updatable/deletable of the entity set (absent in the EDMX = true). */
  readonly creatable: boolean;
  readonly updatable: boolean;
  readonly deletable: boolean;
  readonly properties: Readonly<Record<string, PropertyFact>>;
  readonly navigations?: Readonly<Record<string, NavigationFact>>;
}

export interface ParameterFact {
  readonly type: EdmType;
  readonly maxLength?: number;
  /** `Nullable="true"`: the parameter may be left out. */
  readonly optional: boolean;
}

export interface FunctionImportFact {
  readonly httpMethod: 'GET' | 'POST';
  readonly returnType: string;
  /** Every parameter of the function import (an unknown one is refused). */
  readonly parameters: Readonly<Record<string, ParameterFact>>;
}

export interface ODataServiceFact {
  /** The EDMX file in `shared/reference/contracts/sap-s4hana/` the facts come from. */
  readonly artifact: string;
  /** The schema namespace (the service name without a version). */
  readonly namespace: string;
  readonly entitySets: Readonly<Record<string, EntitySetFact>>;
  readonly functionImports?: Readonly<Record<string, FunctionImportFact>>;
}

/** A key property: key and `Nullable="false"`. */
export const KEY = 'key';
/** `sap:creatable="false"` and `sap:updatable="false"`. */
export const READ_ONLY = 'read-only';
/** `sap:updatable="false"` only. */
export const NOT_UPDATABLE = 'not-updatable';
type Flag = typeof KEY | typeof READ_ONLY | typeof NOT_UPDATABLE;

function flagged(fact: PropertyFact, flags: readonly Flag[]): PropertyFact {
  return {
    ...fact,
    ...(flags.includes(KEY) ? { key: true, nullable: false } : {}),
    ...(flags.includes(READ_ONLY) ? { creatable: false, updatable: false } : {}),
    ...(flags.includes(NOT_UPDATABLE) ? { updatable: false } : {}),
  };
}

export const str = (maxLength: number, ...flags: Flag[]): PropertyFact =>
  flagged({ type: 'Edm.String', maxLength }, flags);
export const dec = (precision: number, scale: number, ...flags: Flag[]): PropertyFact =>
  flagged({ type: 'Edm.Decimal', precision, scale }, flags);
export const bool = (...flags: Flag[]): PropertyFact => flagged({ type: 'Edm.Boolean' }, flags);
/** Edm.DateTime (a date at midnight UTC unless precision says otherwise). */
export const date = (precision: number, ...flags: Flag[]): PropertyFact =>
  flagged({ type: 'Edm.DateTime', precision }, flags);
export const timestamp = (...flags: Flag[]): PropertyFact =>
  flagged({ type: 'Edm.DateTimeOffset', precision: 0 }, flags);
export const time = (...flags: Flag[]): PropertyFact => flagged({ type: 'Edm.Time', precision: 0 }, flags);
export const guid = (...flags: Flag[]): PropertyFact => flagged({ type: 'Edm.Guid' }, flags);

export const many = (target: string): NavigationFact => ({ target, many: true });
export const one = (target: string): NavigationFact => ({ target, many: false });
