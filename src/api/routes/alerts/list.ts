/** GET /v1/alerts — outbound alert deliveries, newest first, optionally by status (pending, delivered, failed). */
import { Type } from 'typebox';
import { listAlertDeliveries } from '../../../insights/alerts/alert-deliveries.js';
import type { ApiContext, ApiServer } from '../../api-context.js';

const AlertQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export function registerListAlertsRoute(app: ApiServer, ctx: ApiContext): void {
  app.get(
    '/v1/alerts',
    {
      config: { action: 'kpis:read' },
      schema: { summary: 'Alert deliveries and their status', querystring: AlertQuery },
    },
    async (request) => {
      return listAlertDeliveries(ctx.engine.store, request.query);
    },
  );
}
