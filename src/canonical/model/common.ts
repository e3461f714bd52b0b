/**
 * Building blocks shared by the canonical schemas: identifiers, dates, decimal strings, Money, the
 * cross-system refs, approval evidence and attachment references.
 *
 * Only top-level canonical objects carry an `$id`. Blocks embedded in them (Money, ApprovalEvidence,
 * lines…) have none, because a schema that embeds the same `$id` twice (an invoice has several
 * Money fields) is rejected by JSON Schema validators such as Ajv ("resolves to more than one
 * schema"). The named copies in `componentSchemas` are for the OpenAPI document.
 */
import { Type, type Static, type TObject } from 'typebox';

/** Same grammar money.ts accepts: optional minus, digits, optional fraction. No exponent, no spaces. */
export const DECIMAL_PATTERN = '^-?[0-9]+(\\.[0-9]+)?$';
export const NON_NEGATIVE_DECIMAL_PATTERN = '^[0-9]+(\\.[0-9]+)?$';

export const DecimalString = Type.String({
  pattern: DECIMAL_PATTERN,
  maxLength: 64,
  description: 'Decimal as text, e.g. "1234.50"',
});
export const NonNegativeDecimalString = Type.String({ pattern: NON_NEGATIVE_DECIMAL_PATTERN, maxLength: 64 });
/** A percentage as decimal text: "19" is 19 %, "7.7" is 7.7 %. */
export const PercentString = Type.String({
  pattern: NON_NEGATIVE_DECIMAL_PATTERN,
  maxLength: 16,
  description: 'Percent, "19" = 19 %',
});
export const CurrencyCode = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' });
export const CountryCode = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 code' });
export const IsoDate = Type.String({ format: 'date', description: 'Calendar date, YYYY-MM-DD' });
export const IsoDateTime = Type.String({ format: 'date-time', description: 'RFC 3339 timestamp with offset' });
/** The hub's own identifier of an object, or a business key (company code, account number). */
export const Identifier = Type.String({ minLength: 1, maxLength: 128 });
export const Name = Type.String({ minLength: 1, maxLength: 256 });
export const Text = Type.String({ maxLength: 4000 });
export const LineNumber = Type.Integer({ minimum: 1, maximum: 100000 });

/** Configured system name (`erp`, `procurement`, `expense`, `directory`, …). */
export const SYSTEM_NAME_PATTERN = '^[a-z][a-z0-9_-]{0,63}$';

/** Cross-reference: system name → that system's id of this object (the identity map). */
export const Refs = Type.Record(
  Type.String({ pattern: SYSTEM_NAME_PATTERN }),
  Type.String({ minLength: 1, maxLength: 256 }),
  {
    additionalProperties: false,
    description: 'system → remote id',
  },
);
export type Refs = Static<typeof Refs>;

const moneyProperties = {
  amount: DecimalString,
  currency: CurrencyCode,
};
export const MoneySchema = Type.Object(moneyProperties, { additionalProperties: false });
export type MoneyShape = Static<typeof MoneySchema>;

const approvalProperties = {
  approverId: Identifier,
  approverName: Name,
  approvedAt: IsoDateTime,
  /** The approval step, e.g. "manager", "cost_center_owner", "finance". */
  step: Type.String({ minLength: 1, maxLength: 128 }),
  /** The policy or rule that required this approval. */
  policy: Type.String({ minLength: 1, maxLength: 256 }),
  comment: Type.Optional(Text),
};
export const ApprovalEvidenceSchema = Type.Object(approvalProperties, { additionalProperties: false });
export type ApprovalEvidence = Static<typeof ApprovalEvidenceSchema>;

export const AttachmentKind = Type.Enum(['receipt', 'invoice_image', 'other']);
const attachmentProperties = {
  kind: AttachmentKind,
  uri: Type.String({ format: 'uri', maxLength: 2048 }),
  mediaType: Type.Optional(Type.String({ pattern: '^[a-zA-Z0-9!#$&^_.+-]+/[a-zA-Z0-9!#$&^_.+-]+$', maxLength: 255 })),
  name: Type.Optional(Name),
  /** Content digest, "sha256:" + 64 hex digits. */
  digest: Type.Optional(Type.String({ pattern: '^sha256:[0-9a-f]{64}$' })),
};
export const AttachmentRefSchema = Type.Object(attachmentProperties, { additionalProperties: false });
export type AttachmentRef = Static<typeof AttachmentRefSchema>;

const addressProperties = {
  street: Type.Optional(Name),
  street2: Type.Optional(Name),
  postalCode: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  city: Name,
  region: Type.Optional(Name),
  country: CountryCode,
};
export const AddressSchema = Type.Object(addressProperties, { additionalProperties: false });
export type Address = Static<typeof AddressSchema>;

/** The fields every transaction carries: who approved it under which policy, and its documents. */
export const transactionEvidence = {
  approvals: Type.Array(ApprovalEvidenceSchema),
  attachments: Type.Array(AttachmentRefSchema),
};

/** The coding dimensions a posting line may carry (values are the ERP's codes). */
export const codingDimensions = {
  glAccount: Type.Optional(Identifier),
  costCenter: Type.Optional(Identifier),
  project: Type.Optional(Identifier),
  taxCode: Type.Optional(Identifier),
};

/** A top-level schema published under its `$id`. */
export type NamedSchema = TObject & { readonly $id: string };

/** Types a list of schemas as named, checking that each one really carries an `$id`. */
export function namedList(schemas: readonly TObject[]): readonly NamedSchema[] {
  for (const schema of schemas) {
    if (typeof (schema as { $id?: unknown }).$id !== 'string') throw new TypeError('canonical schema without $id');
  }
  return schemas as readonly NamedSchema[];
}

/** Named copies of the shared blocks, for the OpenAPI components section (never embedded). */
export const componentSchemas = namedList([
  Type.Object(moneyProperties, { $id: 'Money', additionalProperties: false }),
  Type.Object(approvalProperties, { $id: 'ApprovalEvidence', additionalProperties: false }),
  Type.Object(attachmentProperties, { $id: 'AttachmentRef', additionalProperties: false }),
  Type.Object(addressProperties, { $id: 'Address', additionalProperties: false }),
]);
