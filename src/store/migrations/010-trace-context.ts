/**
 * Migration 10: the W3C trace context (`traceparent`) each inbox event and run carries, so that a
 * worker process that picks a job up later continues the trace of the webhook or poll that brought
 * the document in: the event keeps the span that received it, the run the span that created it.
 * Null where nothing was traced (tracing off and no traceparent received, and every older row).
 */
import type { MigrationDefinition } from '../migration-runner.js';

export const traceContext: MigrationDefinition = { version: 10, name: 'trace context', statements };

function statements(): string[] {
  return [`ALTER TABLE inbox_events ADD COLUMN trace_context TEXT`, `ALTER TABLE runs ADD COLUMN trace_context TEXT`];
}
