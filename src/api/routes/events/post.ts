/**
 * POST /v1/events/:system — an inbound event (webhook). The body is parsed strictly and kept raw;
 * the event is handed to the engine's group commit and the answer, 202 `{ eventId, duplicate,
 * correlationId }`, is sent only once it is durable. A duplicate delivery gets the same 202 with the
 * first delivery's eventId. The route runs in its own scope so its strict parser applies to it alone.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LedgerlinkError } from '../../../canonical/errors.js';
import type { ApiContext, ApiServer } from '../../api-context.js';
import { describeError, sendError } from '../../error-reply.js';
import { correlationIdOf, deliveryIdOf, eventTypeOf, storableHeaders } from '../../inbound-event-fields.js';
import { useStrictJsonBodies, type StrictJsonBody } from '../../strict-json-body.js';

const Params = Type.Object({ system: Type.String({ minLength: 1, maxLength: 64, description: 'a configured system, e.g. erp' }) });
const EventBody = Type.Unknown({ description: 'the event as the system sends it: any JSON value, parsed strictly and kept byte for byte' });

export const EventAcceptedSchema = Type.Object(
  {
    eventId: Type.String({ description: 'the stored event; for a duplicate, the first delivery' }),
    duplicate: Type.Boolean(),
    correlationId: Type.String(),
  },
  { description: 'the event is stored durably' },
);

const UNKNOWN_SYSTEM_LABEL = '(unknown)';

export async function registerPostEventRoute(app: ApiServer, ctx: ApiContext): Promise<void> {
  const { engine, metrics, lifecycle } = ctx;
  const systems = new Set(Object.keys(ctx.config.systems));
  const bodyLimit = ctx.config.server.bodyLimitBytes;

  await app.register(async (scope: ApiServer) => {
    useStrictJsonBodies(scope, bodyLimit);

    scope.setErrorHandler((error, request, reply) => {
      const described = describeError(error);
      const system = (request.params as { system?: string } | undefined)?.system;
      metrics.eventRejected(system !== undefined && systems.has(system) ? system : UNKNOWN_SYSTEM_LABEL, described.code);
      if (described.code === 'LL_ERR_INTERNAL') throw error; // the server's handler logs it and answers with a reference
      if (described.status >= 500 && described.code !== 'LL_ERR_SHUTTING_DOWN') {
        request.log.warn({ code: described.code, err: described.message }, 'event not accepted');
      }
      return sendError(reply, described);
    });

    scope.post(
      '/v1/events/:system',
      {
        bodyLimit,
        schema: {
          summary: 'Receive an event from a system (webhook)',
          description:
            'Delivery ID from webhook-id, x-event-id or the payload eventId/event_id; event type from x-event-type or the payload ' +
            'type/eventType/event_type; correlation ID from x-correlation-id or traceparent. Duplicate keys, __proto__ and ' +
            'constructor.prototype are refused; gzip is accepted within the body limit.',
          params: Params,
          body: EventBody,
          response: { 202: EventAcceptedSchema },
        },
        // The strict parser already checked the body and the system is checked against the configuration:
        // nothing is left for the schema validator to do on this path.
        validatorCompiler: () => () => true,
        onRequest: (request: FastifyRequest<{ Params: { system: string } }>, _reply: FastifyReply, done: (err?: Error) => void) => {
          if (lifecycle.shuttingDown) {
            done(new LedgerlinkError('LL_ERR_SHUTTING_DOWN', 'Ledgerlink is shutting down; deliver again later'));
          } else if (!systems.has(request.params.system)) {
            done(new LedgerlinkError('LL_ERR_UNKNOWN_SYSTEM', `No system named ${request.params.system.slice(0, 64)} is configured`));
          } else {
            done();
          }
        },
      },
      async (request, reply) => {
        const body = request.body as StrictJsonBody | undefined;
        if (body === undefined) throw new LedgerlinkError('LL_ERR_JSON_MALFORMED', 'Body is empty; send the event as JSON');
        const { system } = request.params;
        const headers = request.headers;
        const result = await engine.accept({
          system,
          eventType: eventTypeOf(headers, body.value),
          deliveryId: deliveryIdOf(headers, body.value),
          correlationId: correlationIdOf(headers),
          contentType: headers['content-type'] ?? 'application/json',
          body: body.text,
          headers: storableHeaders(headers),
        });
        metrics.eventAccepted(system, result.duplicate);
        return reply.code(202).send({ eventId: result.eventId, duplicate: result.duplicate, correlationId: result.correlationId });
      },
    );
  });
}
