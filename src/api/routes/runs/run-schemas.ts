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
  kind: Type.String({ description: 'event, run, step, effect or exception' }),
  id: Type.String(),
  summary: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
});

export const TraceSchema = Type.Object(
  { correlationId: Type.String(), entries: Type.Array(TraceEntrySchema) },
  { description: 'the chain of one correlation ID' },
);
