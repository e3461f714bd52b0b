/**
 * The operations sections of `ledgerlink.yaml`: exception owners, SLAs and retry policy per business
 * process, alert routes (signed outbound webhooks per owner), period-close windows, payload retention,
 * where mapping sets live, and the master key source.
 */
import { Type, type Static } from 'typebox';
import { exceptionClasses } from '../engine/exceptions/classification.js';
import { SecretRefSchema } from './flows-config-schema.js';

const Owner = Type.String({ minLength: 1, maxLength: 128 });
const PerClass = <T extends ReturnType<typeof Type.Integer> | typeof Owner>(value: T, description: string) =>
  Type.Object(Object.fromEntries(exceptionClasses.map((c) => [c, Type.Optional(value)])), {
    additionalProperties: false,
    description,
  });

export const ExceptionOwnersSchema = PerClass(Owner, 'owner team per exception class');

export const ProcessPolicySchema = Type.Object(
  {
    owners: Type.Optional(PerClass(Owner, 'owner team per exception class for this process')),
    slaMinutes: Type.Optional(
      PerClass(Type.Integer({ minimum: 1, maximum: 525_600 }), 'minutes an exception of the class may stay open'),
    ),
    transient: Type.Optional(
      Type.Object(
        {
          maxAttempts: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 1_000,
              description: 'attempts before a transient failure becomes an exception',
            }),
          ),
          escalateAfterMinutes: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 100_000,
              description: 'escalate a step still retrying after this long',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ProcessesSchema = Type.Record(
  Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$', description: 'flow name' }),
  ProcessPolicySchema,
  {
    description: 'exception policy per business process (flow)',
  },
);

export const AlertRouteSchema = Type.Object(
  {
    owner: Owner,
    url: Type.String({ pattern: '^https?://', maxLength: 2048 }),
    secret: SecretRefSchema,
    classes: Type.Optional(
      Type.Array(Type.Union(exceptionClasses.map((c) => Type.Literal(c))), {
        description: 'classes alerted on (all when omitted)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const CloseWindowSchema = Type.Object(
  {
    daysBeforeMonthEnd: Type.Integer({ minimum: 0, maximum: 15 }),
    daysAfterMonthEnd: Type.Integer({ minimum: 0, maximum: 15 }),
    slaFactor: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1,
        description: 'SLAs are multiplied by this inside the window (default 0.25)',
      }),
    ),
  },
  { additionalProperties: false, description: 'the period-close window, when alert thresholds tighten' },
);

export const AlertsSchema = Type.Object(
  {
    routes: Type.Optional(Type.Array(AlertRouteSchema, { maxItems: 64 })),
    closeWindow: Type.Optional(CloseWindowSchema),
  },
  { additionalProperties: false },
);

export const RetentionSchema = Type.Object(
  {
    payloadDays: Type.Optional(
      Type.Integer({
        minimum: 7,
        maximum: 36_500,
        description: 'prune stored event payloads older than this; runs, effects and audit are kept',
      }),
    ),
  },
  { additionalProperties: false },
);

export const MappingsConfigSchema = Type.Object(
  {
    directory: Type.Optional(
      Type.String({ minLength: 1, maxLength: 1024, description: 'folder of mapping set YAML files' }),
    ),
  },
  { additionalProperties: false },
);

export const SecurityConfigSchema = Type.Object(
  {
    masterKeyFile: Type.Optional(
      Type.String({ minLength: 1, maxLength: 1024, description: 'key file (else LEDGERLINK_MASTER_KEY)' }),
    ),
    encryptPayloads: Type.Optional(
      Type.Boolean({ description: 'encrypt stored event payloads at rest (default true when a master key is set)' }),
    ),
  },
  { additionalProperties: false },
);

export type ExceptionOwnersConfig = Static<typeof ExceptionOwnersSchema>;
export type ProcessesConfig = Static<typeof ProcessesSchema>;
export type AlertsConfig = Static<typeof AlertsSchema>;
export type RetentionConfig = Static<typeof RetentionSchema>;
export type MappingsConfig = Static<typeof MappingsConfigSchema>;
export type SecurityConfig = Static<typeof SecurityConfigSchema>;
