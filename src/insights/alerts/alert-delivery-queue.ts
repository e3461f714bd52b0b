/**
 * One alert queued for delivery on one route, inside the caller's transaction: a pending row of
 * `alert_deliveries` that the dispatcher sends and retries. The same subject, kind and route is
 * queued once (a second queueing is a no-op), so every alert is sent once per route however often
 * the condition is seen.
 */
import { newId } from '../../engine/ids.js';
import type { Tx } from '../../store/port.js';

export interface QueuedAlert {
  /** What the alert is about: an exception's id, or another subject's stable key. */
  readonly exceptionId: string;
  readonly kind: string;
  readonly route: { readonly key: string; readonly owner: string };
  /** The JSON body to send. */
  readonly payload: string;
  readonly now: number;
}

/** Answers 1 when the alert was queued, 0 when it was already. */
export async function queueAlertDelivery(tx: Tx, alert: QueuedAlert): Promise<number> {
  const result = await tx
    .insertInto('alert_deliveries')
    .values({
      id: newId('alr', alert.now),
      exception_id: alert.exceptionId,
      kind: alert.kind,
      route: alert.route.key,
      owner: alert.route.owner,
      payload: alert.payload,
      status: 'pending',
      attempts: 0,
      next_attempt_at: alert.now,
      last_error: null,
      created_at: alert.now,
      updated_at: alert.now,
      delivered_at: null,
    })
    .onConflict((oc) => oc.columns(['exception_id', 'kind', 'route']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}
