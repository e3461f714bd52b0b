/** Schemas shared by the exception routes: the queue's filter, an item, and the simple action bodies. */
import { Type, type Static } from 'typebox';
import { exceptionClasses } from '../../../engine/exceptions/classification.js';
import type { ExceptionFilter } from '../../../engine/exceptions/queries.js';

const Text = (description: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 256, description }));
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const ExceptionFilterProperties = {
  process: Text('business process (flow)'),
  class: Type.Optional(
    Type.Union(
      exceptionClasses.map((c) => Type.Literal(c)),
      { description: 'exception class' },
    ),
  ),
  owner: Text('owner team'),
  entity: Text('legal entity (company code)'),
  status: Text('status, or several comma-separated: open, escalated, retrying, resolved, ignored, superseded'),
  olderThanMinutes: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'raised more than this many minutes ago' }),
  ),
  system: Text('system the failure concerns'),
  code: Text('error code, e.g. LL_ERR_REMOTE_REJECTED'),
  runId: Text('run'),
  eventId: Text('inbox event (quarantined events)'),
};

export const ExceptionFilterSchema = Type.Object(ExceptionFilterProperties, { additionalProperties: false });

export const ExceptionListQuery = Type.Object(
  {
    ...ExceptionFilterProperties,
    cursor: Text('the `next` of the previous page'),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);

/** The filter fields that were given, without undefined ones (exactOptionalPropertyTypes). */
export function filterFrom(source: Static<typeof ExceptionFilterSchema>): ExceptionFilter {
  const filter: { -readonly [K in keyof ExceptionFilter]: ExceptionFilter[K] } = {};
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && key in ExceptionFilterProperties) (filter as Record<string, unknown>)[key] = value;
  }
  return filter;
}

export const ExceptionItemSchema = Type.Object({
  id: Type.String(),
  status: Type.String(),
  class: Type.String(),
  owner: Type.String(),
  code: Type.String(),
  message: Type.String(),
  process: NullableString,
  entity: NullableString,
  system: NullableString,
  step: NullableString,
  runId: NullableString,
  eventId: NullableString,
  flow: NullableString,
  documentId: NullableString,
  correlationId: NullableString,
  amount: Type.Union([Type.Object({ amount: Type.String(), currency: Type.String() }), Type.Null()]),
  runStatus: NullableString,
  attempts: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  slaDueAt: NullableString,
  resolvedAt: NullableString,
  resolvedBy: NullableString,
  resolution: NullableString,
});

export const ExceptionListSchema = Type.Object(
  {
    exceptions: Type.Array(ExceptionItemSchema),
    next: Type.Union([Type.String({ description: 'pass as `cursor` for the next page' }), Type.Null()]),
  },
  { description: 'one page of the exception queue, oldest first' },
);

export const ExceptionParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

export const Reason = Type.String({ minLength: 1, maxLength: 2_000, description: 'why; kept in the audit log' });

export const RetryBody = Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false });
export const CloseBody = Type.Object({ reason: Reason }, { additionalProperties: false });
