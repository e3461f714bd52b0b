/** The outbound alert deliveries, newest first, as `GET /v1/alerts` lists them. */
import { isoTime } from '../../canonical/time.js';
import type { Store } from '../../store/port.js';

export type AlertDeliveryStatus = 'pending' | 'delivered' | 'failed';

export async function listAlertDeliveries(
  store: Store,
  filter: { readonly status?: AlertDeliveryStatus | undefined; readonly limit?: number | undefined },
) {
  let query = store.db
    .selectFrom('alert_deliveries')
    .select([
      'id',
      'exception_id',
      'kind',
      'owner',
      'status',
      'attempts',
      'next_attempt_at',
      'last_error',
      'created_at',
      'delivered_at',
    ]);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100)
    .execute();
  return {
    deliveries: rows.map((d) => ({
      id: d.id,
      exceptionId: d.exception_id,
      kind: d.kind,
      owner: d.owner,
      status: d.status,
      attempts: Number(d.attempts),
      nextAttemptAt: d.status === 'pending' ? isoTime(d.next_attempt_at) : null,
      lastError: d.last_error,
      createdAt: isoTime(d.created_at),
      deliveredAt: isoTime(d.delivered_at),
    })),
  };
}
