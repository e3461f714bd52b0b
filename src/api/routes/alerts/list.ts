/** GET /v1/alerts — outbound alert deliveries, newest first, optionally by status (pending, delivered, failed). */
import { Type } from 'typebox';
import type { ApiContext, ApiServer } from '../../api-context.js';

const AlertQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

export function registerListAlertsRoute(app: ApiServer, ctx: ApiContext): void {
  app.get('/v1/alerts', { config: { action: 'kpis:read' }, schema: { summary: 'Alert deliveries and their status', querystring: AlertQuery } }, async (request) => {
    let query = ctx.engine.store.db
      .selectFrom('alert_deliveries')
      .select(['id', 'exception_id', 'kind', 'owner', 'status', 'attempts', 'next_attempt_at', 'last_error', 'created_at', 'delivered_at']);
    if (request.query.status !== undefined) query = query.where('status', '=', request.query.status);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(request.query.limit ?? 100).execute();
    return {
      deliveries: rows.map((d) => ({
        id: d.id,
        exceptionId: d.exception_id,
        kind: d.kind,
        owner: d.owner,
        status: d.status,
        attempts: Number(d.attempts),
        nextAttemptAt: d.status === 'pending' ? iso(d.next_attempt_at) : null,
        lastError: d.last_error,
        createdAt: iso(d.created_at),
        deliveredAt: iso(d.delivered_at),
      })),
    };
  });
}
