/**
 * Quarantines a received inbox event: an exception (classified, owned) is opened for it and the event
 * is marked `quarantined`, in one transaction, with an audit row. Kept, owned, never dropped. Only an
 * event still `received` is quarantined, so the dispatcher and the ingest route can both call this for
 * the same event and exactly one exception results.
 */
import type { LedgerlinkError } from '../../canonical/errors.js';
import type { Tx } from '../../store/port.js';
import { appendAudit } from '../audit-log.js';
import type { EngineDeps } from '../engine-deps.js';
import { supersedeEventExceptions } from './lifecycle.js';
import { classifyFailure, insertException } from './classification.js';

export interface QuarantinedEvent {
  readonly id: string;
  readonly correlation_id: string;
  readonly system: string;
}

/** Inside the caller's transaction; false when the event was no longer `received`. */
export async function quarantineEvent(
  deps: EngineDeps,
  tx: Tx,
  event: QuarantinedEvent,
  error: LedgerlinkError,
  now: number,
): Promise<boolean> {
  const claimed = await tx
    .updateTable('inbox_events')
    .set({ status: 'quarantined', dispatched_at: now })
    .where('id', '=', event.id)
    .where('status', '=', 'received')
    .executeTakeFirst();
  if (claimed.numUpdatedRows !== 1n) return false;
  const failure = classifyFailure(error);
  const exceptionId = await insertException(tx, {
    runId: null,
    eventId: event.id,
    jobId: null,
    step: null,
    failure,
    owner: deps.owners.ownerOf(failure.exceptionClass),
    now,
    system: event.system,
  });
  await supersedeEventExceptions(deps, tx, event.id, exceptionId, event.correlation_id, now);
  await tx
    .updateTable('inbox_events')
    .set({ note: JSON.stringify({ exceptionId, code: error.code }) })
    .where('id', '=', event.id)
    .execute();
  await appendAudit(tx, deps.store.dialect, {
    actor: 'engine',
    action: 'event.quarantined',
    subject: event.id,
    correlationId: event.correlation_id,
    data: { exceptionId, code: error.code, message: error.message },
    at: now,
  });
  deps.logger.warn({ eventId: event.id, code: error.code, correlationId: event.correlation_id }, 'event quarantined');
  return true;
}
