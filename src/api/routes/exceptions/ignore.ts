/** POST /v1/exceptions/:id/ignore — Ignore: deliberately dropped (reason required). */
import { actorOf } from '../../route-access.js';
import type { ApiContext, ApiServer } from '../../api-context.js';
import { CloseBody, ExceptionParams } from './exception-schemas.js';

export function registerIgnoreExceptionRoute(app: ApiServer, ctx: ApiContext): void {
  app.post(
    '/v1/exceptions/:id/ignore',
    {
      config: { action: 'exceptions:act' },
      schema: { summary: 'Ignore: deliberately dropped (reason required)', params: ExceptionParams, body: CloseBody },
    },
    async (request) =>
      ctx.engine.actOnException(request.params.id, {
        action: 'ignore',
        actor: actorOf(request),
        reason: request.body.reason,
      }),
  );
}
