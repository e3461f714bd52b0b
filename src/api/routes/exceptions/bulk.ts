/**
 * POST /v1/exceptions/bulk — `{ action, filter, dryRun?, reason?, from?, mapping?, sample? }`. A dry run
 * answers how many exceptions match and the first ids, changing nothing; otherwise the action is
 * applied to each match (up to 1000 per call) and reported per item.
 */
import { Type } from 'typebox';
import { exceptionActionNames } from '../../../engine/exceptions/actions.js';
import type { ApiContext, ApiServer } from '../../api-context.js';
import { actorOf } from '../../route-access.js';
import { ExceptionFilterSchema, filterFrom, Reason } from './exception-schemas.js';

const BulkBody = Type.Object(
  {
    action: Type.Union(exceptionActionNames.map((a) => Type.Literal(a))),
    filter: ExceptionFilterSchema,
    dryRun: Type.Optional(Type.Boolean({ default: false })),
    reason: Type.Optional(Reason),
    from: Type.Optional(Type.Union([Type.Literal('failed-step'), Type.Literal('start')])),
    mapping: Type.Optional(Type.Union([Type.Literal('same'), Type.Literal('current')])),
    sample: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1_000, description: 'ids listed by a dry run (default 50)' }),
    ),
  },
  { additionalProperties: false },
);

export function registerBulkExceptionsRoute(app: ApiServer, ctx: ApiContext): void {
  app.post(
    '/v1/exceptions/bulk',
    {
      config: { action: 'exceptions:act' },
      schema: { summary: 'Apply one action to every exception a filter matches (dry run first)', body: BulkBody },
    },
    async (request) => {
      const body = request.body;
      const replay = {
        ...(body.from === undefined ? {} : { from: body.from }),
        ...(body.mapping === undefined ? {} : { mapping: body.mapping }),
      };
      return ctx.engine.bulkActOnExceptions({
        action: body.action,
        actor: actorOf(request),
        filter: filterFrom(body.filter),
        dryRun: body.dryRun ?? false,
        reason: body.reason,
        ...(body.action === 'replay' ? { replay } : {}),
        ...(body.sample === undefined ? {} : { sample: body.sample }),
      });
    },
  );
}
