/** POST /v1/exceptions/:id/resolve — Resolve: fixed outside the hub (reason required). */
import { actorOf } from '../../route-access.js';
import type { ApiContext, ApiServer } from '../../api-context.js';
import { CloseBody, ExceptionParams } from './exception-schemas.js';

export function registerResolveExceptionRoute(app: ApiServer, ctx: ApiContext): void {
  app.post(
    '/v1/exceptions/:id/resolve',
    {
      config: { action: 'exceptions:act' },
      schema: { summary: 'Resolve: fixed outside the hub (reason required)', params: ExceptionParams, body: CloseBody },
    },
    async (request) =>
      ctx.engine.actOnException(request.params.id, {
        action: 'resolve',
        actor: actorOf(request),
        reason: request.body.reason,
      }),
  );
}
