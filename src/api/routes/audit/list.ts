/** GET /v1/audit — the audit log, newest first, filtered by action, actor, subject or correlation ID, paged by cursor. */
import { Type } from 'typebox';
import type { ApiContext, ApiServer } from '../../api-context.js';

const Text = (description: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 256, description }));
const AuditQuery = Type.Object(
  {
    action: Text('e.g. exception.retry, period.opened, mapping.approved'),
    actor: Text('e.g. token:alice, engine'),
    subject: Text('what the row is about (an exception, a run, entity/period, …)'),
    correlationId: Text('the correlation ID of one document'),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'the `next` of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);

export function registerListAuditRoute(app: ApiServer, ctx: ApiContext): void {
  app.get(
    '/v1/audit',
    { config: { action: 'audit:read' }, schema: { summary: 'The audit log, newest first', querystring: AuditQuery } },
    async (request) => {
      const { cursor, limit, action, actor, subject, correlationId } = request.query;
      return ctx.engine.listAudit(
        {
          ...(action === undefined ? {} : { action }),
          ...(actor === undefined ? {} : { actor }),
          ...(subject === undefined ? {} : { subject }),
          ...(correlationId === undefined ? {} : { correlationId }),
        },
        { limit: limit ?? 50, ...(cursor === undefined ? {} : { before: Number(cursor) }) },
      );
    },
  );
}
