/**
 * The one error shape of the API, `{ error: { code, message, details[] } }`, for every failure:
 * our coded errors, Fastify's own (validation, body limit, media type), unknown routes, and anything
 * unexpected, which answers 500 LL_ERR_INTERNAL with a reference and never a stack.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorCatalogue, isLedgerlinkError, type ErrorCode, type ErrorDetail } from '../canonical/errors.js';

export interface ErrorReply {
  readonly status: number;
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: readonly ErrorDetail[];
}

interface FastifyErrorLike {
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly message?: unknown;
  readonly validation?: readonly { instancePath?: string; message?: string; params?: Record<string, unknown> }[];
  readonly validationContext?: string;
}

function coded(code: ErrorCode, message: string, details: readonly ErrorDetail[] = [], status?: number): ErrorReply {
  return { status: status ?? errorCatalogue[code].status, code, message, details };
}

function validationDetails(error: FastifyErrorLike): ErrorDetail[] {
  const where = error.validationContext ?? 'request';
  return (error.validation ?? []).map((v) => {
    const missing = v.params?.['missingProperty'];
    const path = `${where}${v.instancePath ?? ''}${typeof missing === 'string' ? `/${missing}` : ''}`;
    return { path, message: v.message ?? 'is invalid' };
  });
}

/** Maps any thrown value to the status, code and safe message the client sees. */
export function describeError(error: unknown): ErrorReply {
  if (isLedgerlinkError(error)) return coded(error.code, error.message, error.details);
  const e = (typeof error === 'object' && error !== null ? error : {}) as FastifyErrorLike;
  if (Array.isArray(e.validation)) {
    return coded(
      'LL_ERR_BAD_REQUEST',
      typeof e.message === 'string' ? e.message : 'Request is invalid',
      validationDetails(e),
    );
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  const message = typeof e.message === 'string' ? e.message : '';
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413)
    return coded('LL_ERR_BODY_TOO_LARGE', 'Request body is over the limit');
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) {
    return coded('LL_ERR_UNSUPPORTED_MEDIA_TYPE', 'Content type is not accepted here; send application/json');
  }
  if (status === 429) return coded('LL_ERR_RATE_LIMITED', message || 'Too many requests');
  if (status === 404) return coded('LL_ERR_NOT_FOUND', message || 'Not found');
  if (status >= 400 && status < 500) return coded('LL_ERR_BAD_REQUEST', message || 'Bad request', [], status);
  return coded('LL_ERR_INTERNAL', 'Unexpected internal error');
}

export function sendError(reply: FastifyReply, described: ErrorReply): FastifyReply {
  // A client told to come back later should reconnect (elsewhere), not keep this connection.
  if (described.code === 'LL_ERR_SHUTTING_DOWN') reply.header('connection', 'close');
  return reply
    .code(described.status)
    .type('application/json; charset=utf-8')
    .send({ error: { code: described.code, message: described.message, details: described.details } });
}

/** Fastify error handler: logs server-side failures with their stack, answers with the one shape. */
export function replyWithError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  let described = describeError(error);
  if (described.code === 'LL_ERR_INTERNAL') {
    request.log.error({ err: error, reqId: request.id, url: request.url }, 'request failed');
    described = {
      ...described,
      details: [{ message: 'quote this reference when reporting the problem', reference: request.id }],
    };
  } else if (described.status >= 500 && described.code !== 'LL_ERR_SHUTTING_DOWN') {
    request.log.warn({ code: described.code, err: described.message, url: request.url }, 'request not served');
  }
  if (reply.sent) return reply;
  return sendError(reply, described);
}

export function replyNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = (request.url.split('?')[0] ?? '').slice(0, 200);
  return sendError(reply, coded('LL_ERR_NOT_FOUND', `No route ${request.method} ${path}`));
}
