/** POST /v1/exceptions/:id/retry — Retry the failed step with the same input. */
import { actorOf } from '../../route-access.js';
import type { ApiContext, ApiServer } from '../../api-context.js';
import { RetryBody, ExceptionParams } from './exception-schemas.js';

export function registerRetryExceptionRoute(app: ApiServer, ctx: ApiContext): void {
  app.post(
    '/v1/exceptions/:id/retry',
    {
      config: { action: 'exceptions:act' },
      schema: { summary: 'Retry the failed step with the same input', params: ExceptionParams, body: RetryBody },
    },
    async (request) =>
      ctx.engine.actOnException(request.params.id, {
        action: 'retry',
        actor: actorOf(request),
        reason: request.body.reason,
      }),
  );
}
