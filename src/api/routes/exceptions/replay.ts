/**
 * POST /v1/exceptions/:id/replay — `{ from?: 'failed-step'|'start', mapping?: 'same'|'current',
 * payload?, reason? }`. The body is read by the strict, lossless JSON parser (its own scope), so an
 * edited payload keeps its amounts exactly as written; a reason is required with a payload.
 */
import { LedgerlinkError } from '../../../canonical/errors.js';
import { JsonNumber, ownValue, type JsonObject, type JsonValue } from '../../../canonical/strict-json.js';
import type { ReplayOptions } from '../../../engine/exceptions/actions.js';
import type { ApiContext, ApiServer } from '../../api-context.js';
import { actorOf } from '../../route-access.js';
import { parseEventBody, useRawJsonBodies } from '../../strict-json-body.js';
import { ExceptionParams } from './exception-schemas.js';

const KNOWN = new Set(['from', 'mapping', 'payload', 'reason']);

function invalid(path: string, message: string): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_BAD_REQUEST', `body/${path} ${message}`, {
    details: [{ path: `body/${path}`, message }],
  });
}

function choice<T extends string>(body: JsonObject, key: string, allowed: readonly T[]): T | undefined {
  const value = ownValue(body, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    throw invalid(key, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

export function parseReplayBody(value: JsonValue | undefined): { replay: ReplayOptions; reason: string | undefined } {
  const body = value ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body) || body instanceof JsonNumber)
    throw invalid('', 'must be an object');
  const object = body;
  for (const key of Object.keys(object)) if (!KNOWN.has(key)) throw invalid(key, 'is not a known property');
  const reason = ownValue(object, 'reason');
  if (reason !== undefined && (typeof reason !== 'string' || reason.length > 2_000))
    throw invalid('reason', 'must be a string of at most 2000 characters');
  const from = choice(object, 'from', ['failed-step', 'start'] as const);
  const mapping = choice(object, 'mapping', ['same', 'current'] as const);
  const payload = ownValue(object, 'payload');
  return {
    replay: {
      ...(from === undefined ? {} : { from }),
      ...(mapping === undefined ? {} : { mapping }),
      ...(payload === undefined ? {} : { payload }),
    },
    reason: reason as string | undefined,
  };
}

export async function registerReplayExceptionRoute(app: ApiServer, ctx: ApiContext): Promise<void> {
  await app.register(async (scope: ApiServer) => {
    useRawJsonBodies(scope, ctx.config.server.bodyLimitBytes);
    scope.post(
      '/v1/exceptions/:id/replay',
      {
        config: { action: 'exceptions:act' },
        schema: {
          summary:
            'Replay from the failed step or the start, with the same or the current mapping, optionally with an edited payload',
          params: ExceptionParams,
        },
      },
      async (request) => {
        const bytes = request.body as Buffer | undefined;
        const { replay, reason } = parseReplayBody(
          bytes === undefined || bytes.length === 0 ? undefined : parseEventBody(bytes).value,
        );
        return ctx.engine.actOnException(request.params.id, {
          action: 'replay',
          actor: actorOf(request),
          reason,
          replay,
        });
      },
    );
  });
}
