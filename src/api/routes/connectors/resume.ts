/** POST /v1/connectors/:system/resume — resumes a paused connector; its waiting jobs run again. */
import { Type } from 'typebox';
import type { ApiContext, ApiServer } from '../../api-context.js';
import { actorOf } from '../../route-access.js';

const Params = Type.Object({ system: Type.String({ pattern: '^[a-z][a-z0-9_-]{0,63}$' }) });
const Body = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2_000 })) },
  { additionalProperties: false },
);

export function registerResumeConnectorRoute(app: ApiServer, ctx: ApiContext): void {
  app.post(
    '/v1/connectors/:system/resume',
    {
      config: { action: 'exceptions:act' },
      schema: { summary: 'Resume a paused connector', params: Params, body: Body },
    },
    async (request) => ctx.engine.resumeConnector(request.params.system, actorOf(request), request.body.reason),
  );
}
