/** Response schemas of the run read models, for fast serialisation and the OpenAPI document. */
import { Type } from 'typebox';

const NullableString = Type.Union([Type.String(), Type.Null()]);

export const RunSummarySchema = Type.Object(
  {
    id: Type.String(),
    runKey: Type.String({ description: 'flow:system:documentId:version, unique' }),
    flow: Type.String(),
    system: Type.String(),
    documentId: Type.String(),
    version: Type.String(),
    status: Type.String(),
    correlationId: Type.String(),
    currentStep: NullableString,
    mappingVersion: NullableString,
    eventId: NullableString,
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    finishedAt: NullableString,
  },
  { description: 'one run' },
);

export const RunListSchema = Type.Object(
  {
    runs: Type.Array(RunSummarySchema),
    next: Type.Union([Type.String({ description: 'pass as `before` for the next page' }), Type.Null()]),
  },
  { description: 'one page of runs, newest first' },
);

export const TraceEntrySchema = Type.Object({
  at: Type.String({ format: 'date-time' }),
  kind: Type.String({ description: 'event, run, step, effect, exception, action or audit' }),
  id: Type.String(),
  summary: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
});

const Section = (description: string) =>
  Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()), { description }));

export const TraceSchema = Type.Object(
  {
    correlationId: Type.String(),
    source: Type.Optional(
      Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
        description: 'the source document: system, document id, version',
      }),
    ),
    entries: Type.Array(TraceEntrySchema, { description: 'the timeline, in time order' }),
    events: Section('inbox events'),
    runs: Section('runs with mapping version, posting and payment times'),
    effects: Section('writes: system, idempotency key, remote id, status'),
    exceptions: Section('exceptions raised'),
    actions: Section('actions taken on the exceptions'),
    audit: Section('audit rows of the correlation ID'),
    erpDocuments: Section('documents the writes produced'),
    payments: Section('payment status per run'),
    mappingVersions: Type.Optional(Type.Array(Type.String(), { description: 'mapping set versions used' })),
  },
  { description: 'the chain of one correlation ID' },
);
