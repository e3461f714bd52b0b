/**
 * GET /v1/runs/:id — one run with its steps, effects, jobs, exceptions and refs. The run's input is
 * written into the answer as the exact JSON text stored, so its numbers (amounts) are never re-read
 * through a float.
 */
import { Type } from 'typebox';
import { LedgerlinkError } from '../../../canonical/errors.js';
import type { ApiContext, ApiServer } from '../../api-context.js';

const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

export function registerGetRunRoute(app: ApiServer, ctx: ApiContext): void {
  app.get(
    '/v1/runs/:id',
    { config: { action: 'runs:read' }, schema: { summary: 'One run with its history', params: Params } },
    async (request, reply) => {
      const run = await ctx.engine.getRun(request.params.id);
      if (run === undefined) throw new LedgerlinkError('LL_ERR_NOT_FOUND', `No run ${request.params.id}`);
      const { input, ...rest } = run;
      if (typeof input !== 'string') return reply.send(run);
      const head = JSON.stringify(rest);
      return reply.type('application/json; charset=utf-8').send(`${head.slice(0, -1)},"input":${input}}`);
    },
  );
}
