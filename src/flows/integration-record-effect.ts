/**
 * An integration history record or error written to the procurement suite exactly once: our
 * idempotency key travels with the record, and a retry after a lost answer finds it by that key
 * instead of writing a second record.
 */
import type { IntegrationRecord, IntegrationRecordKind, ProcurementPort } from '../connectors/port.js';
import type { EffectResult, StepContext } from '../engine/step-api.js';

export interface IntegrationRecordWrite {
  readonly system: string;
  readonly port: ProcurementPort;
  readonly kind: IntegrationRecordKind;
  /** The effect's name within the step. */
  readonly name: string;
  readonly record: IntegrationRecord;
}

export function recordIntegrationOnce(ctx: StepContext, write: IntegrationRecordWrite): Promise<EffectResult> {
  const { port, record } = write;
  return ctx.effect({
    system: write.system,
    name: write.name,
    lookup: (key) => port.findIntegrationRecord(write.kind, record.documentType, record.documentId, key),
    create: (key) =>
      write.kind === 'history'
        ? port.recordIntegrationHistory({ ...record, reference: key })
        : port.recordIntegrationError({ ...record, reference: key }),
  });
}
