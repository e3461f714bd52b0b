/**
 * POST /v1/events/:system — an inbound event (webhook). The body is read as raw bytes; for a system
 * signed with Standard Webhooks the signature is verified on those bytes first (401 and nothing stored
 * when it fails). The body is then parsed strictly and kept raw; the event is handed to the engine's
 * group commit and the answer, 202 `{ eventId, duplicate, correlationId }`, is sent only once it is
 * durable. A duplicate delivery gets the same 202 with the first delivery's eventId.
 *
 * A correctly signed delivery whose body does not parse (malformed JSON, duplicate keys, __proto__,
 * bad UTF-8, too deep, empty) is still accepted, 202, and stored quarantined with an exception: a
 * non-2xx would make the sender retry for days. An unsigned system gets the coded 4xx instead.
 * The route runs in its own scope so its parser applies to it alone.
 *
 * While the backlog the workers have not caught up with is at `server.backpressure.maxBacklog`, a
 * delivery is refused before its body is read: 503 LL_ERR_INGEST_BACKLOG with Retry-After.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isLedgerlinkError, LedgerlinkError } from '../../../canonical/errors.js';
import type { ApiContext, ApiServer } from '../../api-context.js';
import type { IngestBacklog } from '../../../engine/ingest-backlog.js';
import { describeError, sendError } from '../../error-reply.js';
import { correlationIdOf, deliveryIdOf, eventTypeOf, storableHeaders } from '../../inbound-event-fields.js';
import { parseEventBody, storablePayload, useRawJsonBodies, type StrictJsonBody } from '../../strict-json-body.js';
import type { WebhookVerifier } from '../../webhook-verification.js';
import { activeTraceparent, inSpan, spanContextOf, traceparentOf, type Span } from '../../../observability/tracing.js';

const Params = Type.Object({
  system: Type.String({ minLength: 1, maxLength: 64, description: 'a configured system, e.g. erp' }),
});
const EventBody = Type.Unknown({
  description: 'the event as the system sends it: any JSON value, parsed strictly and kept byte for byte',
});

export const EventAcceptedSchema = Type.Object(
  {
    eventId: Type.String({ description: 'the stored event; for a duplicate, the first delivery' }),
    duplicate: Type.Boolean(),
    correlationId: Type.String(),
  },
  { description: 'the event is stored durably' },
);

const UNKNOWN_SYSTEM_LABEL = '(unknown)';
const EMPTY = Buffer.alloc(0);

/** A refusal of the body itself, which a signed delivery turns into a quarantined event. */
const isBodyError = (error: unknown): error is LedgerlinkError =>
  isLedgerlinkError(error) && error.code.startsWith('LL_ERR_JSON_');

export async function registerPostEventRoute(
  app: ApiServer,
  ctx: ApiContext,
  webhooks: WebhookVerifier,
): Promise<void> {
  const { engine, metrics, lifecycle } = ctx;
  const systems = new Set(Object.keys(ctx.config.systems));
  const bodyLimit = ctx.config.server.bodyLimitBytes;

  await app.register(async (scope: ApiServer) => {
    useRawJsonBodies(scope, bodyLimit);

    scope.setErrorHandler((error, request, reply) => {
      const described = describeError(error);
      const system = (request.params as { system?: string } | undefined)?.system;
      metrics.eventRejected(
        system !== undefined && systems.has(system) ? system : UNKNOWN_SYSTEM_LABEL,
        described.code,
      );
      if (described.code === 'LL_ERR_INTERNAL') throw error; // the server's handler logs it and answers with a reference
      // Refusals for the backlog are logged once when ingest pauses (engine/ingest-backlog.ts), not per delivery.
      if (described.code === 'LL_ERR_INGEST_BACKLOG' && ctx.ingestBacklog !== undefined) {
        reply.header('retry-after', String(ctx.ingestBacklog.settings.retryAfterSeconds));
      } else if (described.status >= 500 && described.code !== 'LL_ERR_SHUTTING_DOWN') {
        request.log.warn({ code: described.code, err: described.message }, 'event not accepted');
      }
      return sendError(reply, described);
    });

    scope.post(
      '/v1/events/:system',
      {
        bodyLimit,
        config: { action: 'events:post' },
        schema: {
          summary: 'Receive an event from a system (webhook)',
          description:
            'Delivery ID from webhook-id, x-event-id or the payload eventId/event_id; event type from x-event-type or the payload ' +
            'type/eventType/event_type; correlation ID from x-correlation-id or traceparent. Duplicate keys, __proto__ and ' +
            'constructor.prototype are refused; gzip is accepted within the body limit. A system signed with Standard Webhooks ' +
            'needs valid webhook-id, webhook-timestamp and webhook-signature headers over the raw body (401 otherwise); a signed ' +
            'body that does not parse is accepted (202) and quarantined as an exception.',
          params: Params,
          body: EventBody,
          response: { 202: EventAcceptedSchema },
        },
        // The handler parses the body strictly (after any signature check) and the system is checked against
        // the configuration: nothing is left for the schema validator to do on this path.
        validatorCompiler: () => () => true,
        onRequest: (
          request: FastifyRequest<{ Params: { system: string } }>,
          _reply: FastifyReply,
          done: (err?: Error) => void,
        ) => {
          if (lifecycle.shuttingDown) {
            done(new LedgerlinkError('LL_ERR_SHUTTING_DOWN', 'Ledgerlink is shutting down; deliver again later'));
          } else if (ctx.ingestBacklog?.state().paused === true) {
            done(backlogError(ctx.ingestBacklog));
          } else if (!systems.has(request.params.system)) {
            done(
              new LedgerlinkError(
                'LL_ERR_UNKNOWN_SYSTEM',
                `No system named ${request.params.system.slice(0, 64)} is configured`,
              ),
            );
          } else {
            done();
          }
        },
      },
      async (request, reply) => {
        const inbound = inboundTraceparent(request.headers);
        await inSpan(
          'POST /v1/events/{system}',
          {
            kind: 'server',
            parent: inbound,
            attributes: {
              'http.request.method': 'POST',
              'http.route': '/v1/events/:system',
              'ledgerlink.system': request.params.system,
            },
          },
          (span) => receive(request, reply, span, inbound),
        );
        return reply;
      },
    );
  });

  async function receive(
    request: FastifyRequest<{ Params: { system: string } }>,
    reply: FastifyReply,
    span: Span,
    inbound: string | null,
  ): Promise<void> {
    const { system } = request.params;
    // The inbound span's own traceparent while tracing is on; the sender's (if valid) when it is off.
    const traceContext = activeTraceparent() ?? inbound;
    const bytes = (request.body as Buffer | undefined) ?? EMPTY;
    const signed = webhooks.settingsFor(system);
    if (signed !== undefined) await webhooks.verify(request, signed, bytes);
    if (request.principal === undefined)
      throw new LedgerlinkError('LL_ERR_UNAUTHENTICATED', 'A valid API token or webhook signature is required');
    const headers = request.headers;
    let body: StrictJsonBody;
    try {
      body = parseEventBody(bytes);
    } catch (error) {
      if (signed === undefined || !isBodyError(error)) throw error;
      const result = await engine.accept({
        system,
        eventType: eventTypeOf(headers, null),
        deliveryId: deliveryIdOf(headers, null),
        correlationId: correlationIdOf(headers),
        contentType: headers['content-type'] ?? 'application/json',
        body: storablePayload(bytes),
        headers: storableHeaders(headers),
        traceContext,
      });
      if (!result.duplicate)
        await engine.quarantineAccepted({ id: result.eventId, correlation_id: result.correlationId, system }, error);
      metrics.eventAccepted(system, result.duplicate);
      accepted(span, result);
      reply
        .code(202)
        .send({ eventId: result.eventId, duplicate: result.duplicate, correlationId: result.correlationId });
      return;
    }
    const result = await engine.accept({
      system,
      eventType: eventTypeOf(headers, body.value),
      deliveryId: deliveryIdOf(headers, body.value),
      correlationId: correlationIdOf(headers),
      contentType: headers['content-type'] ?? 'application/json',
      body: body.text,
      headers: storableHeaders(headers),
      traceContext,
    });
    metrics.eventAccepted(system, result.duplicate);
    accepted(span, result);
    reply.code(202).send({ eventId: result.eventId, duplicate: result.duplicate, correlationId: result.correlationId });
  }
}

/** The refusal while the backlog is at its limit; nothing of the delivery is read or stored. */
function backlogError(backlog: IngestBacklog): LedgerlinkError {
  const { backlog: waiting, limit } = backlog.state();
  return new LedgerlinkError(
    'LL_ERR_INGEST_BACKLOG',
    `Ledgerlink has ${waiting} events and jobs waiting (limit ${limit}); deliver again after ${backlog.settings.retryAfterSeconds} s`,
    { details: [{ message: 'backlog at its limit', backlog: waiting, limit }] },
  );
}

/** The sender's `traceparent` when it is a valid W3C one (the inbound span's parent), else null. */
function inboundTraceparent(headers: FastifyRequest['headers']): string | null {
  const value = headers['traceparent'];
  const text = Array.isArray(value) ? value[0] : value;
  const context = spanContextOf(text);
  return context === undefined ? null : (traceparentOf(context) ?? null);
}

function accepted(span: Span, result: { eventId: string; duplicate: boolean; correlationId: string }): void {
  span.setAttributes({
    'http.response.status_code': 202,
    'ledgerlink.event.id': result.eventId,
    'ledgerlink.event.duplicate': result.duplicate,
    'ledgerlink.correlation_id': result.correlationId,
  });
}
