/**
 * The HTTP transport of a system configured `via: agent:<name>`: each exchange of its connector is
 * queued for that agent and answered with the response the agent got inside the network. The hub's
 * HTTP client around it is unchanged: redirects, auth layers, classification and the effect ledger
 * work as for a direct call. What the transport adds is how a lost answer surfaces:
 *
 * - the agent is not connected: LL_ERR_REMOTE_TRANSIENT at once, nothing queued (retried with
 *   backoff by the engine, an exception once attempts are used up);
 * - no agent took the call before the deadline: LL_ERR_REMOTE_TRANSIENT, never sent;
 * - the agent took it and its answer never came (it died, its connection dropped, the deadline
 *   passed): the client's timeout error, an unknown outcome, settled by lookup-before-create;
 * - the agent could not send it: a network failure; its configuration refused it:
 *   LL_ERR_CONNECTOR_URL_REFUSED.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import type { HttpTransport } from '../../connectors/http/http-types.js';
import { errorForNetworkFailure, errorForTimeout } from '../../connectors/http/remote-errors.js';
import { urlRefused } from '../../connectors/http/url-guard.js';
import { HOP_HEADERS, type AgentAnswer } from '../wire-protocol.js';
import type { AgentCallQueue } from './agent-call-queue.js';
import type { AgentSessions } from './agent-sessions.js';

export interface AgentTransportOptions {
  readonly agent: string;
  readonly system: string;
  readonly queue: AgentCallQueue;
  readonly sessions: AgentSessions;
  /** The connector's per-exchange timeout: the call's deadline. */
  readonly timeoutMs: number;
  readonly now?: () => number;
}

/** Statuses whose response has no body (the Response constructor refuses one). */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([204, 205, 304]);

export function agentTransport(options: AgentTransportOptions): HttpTransport {
  const { agent, system, queue, sessions, timeoutMs } = options;
  const now = options.now ?? Date.now;
  return async (url, request) => {
    const context = { method: request.method, url };
    const connection = await sessions.connection(agent);
    if (!connection.connected) throw notConnected(agent, system, connection.lastSeenAt);
    const headers: [string, string][] = [];
    request.headers.forEach((value, name) => {
      if (!HOP_HEADERS.has(name)) headers.push([name, value]);
    });
    const id = await queue.enqueue(
      agent,
      system,
      { method: request.method, url: url.toString(), headers, body: request.body ?? null },
      now() + timeoutMs,
    );
    const outcome = await queue.wait(id, request.signal);
    if (outcome.kind === 'not_taken') {
      throw new LedgerlinkError(
        'LL_ERR_REMOTE_TRANSIENT',
        `agent ${agent} did not take the call to ${system} in time`,
        {
          details: [{ message: 'not taken by the agent; nothing was sent', agent, system }],
        },
      );
    }
    if (outcome.kind === 'unknown') {
      throw errorForTimeout(system, timeoutMs, context, new Error(`agent ${agent}: the answer was lost`));
    }
    return responseOf(outcome.answer, agent, system, url, timeoutMs, request.method);
  };
}

function notConnected(agent: string, system: string, lastSeenAt: number | null): LedgerlinkError {
  const seen = lastSeenAt === null ? 'never seen' : `last seen ${new Date(lastSeenAt).toISOString()}`;
  return new LedgerlinkError('LL_ERR_REMOTE_TRANSIENT', `agent ${agent} for ${system} is not connected (${seen})`, {
    details: [{ message: 'agent not connected; nothing was sent', agent, system }],
  });
}

function responseOf(
  answer: AgentAnswer,
  agent: string,
  system: string,
  url: URL,
  timeoutMs: number,
  method: string,
): Response {
  const failure = answer.failure;
  if (failure !== undefined) {
    const cause = new Error(`agent ${agent}: ${failure.message}`);
    if (failure.kind === 'refused') throw urlRefused(system, url, `the agent ${agent} refused it: ${failure.message}`);
    if (failure.kind === 'not_sent') throw errorForNetworkFailure(system, cause, { method, url });
    throw errorForTimeout(system, timeoutMs, { method, url }, cause);
  }
  const status = answer.status ?? 502;
  const headers = new Headers();
  for (const [name, value] of answer.headers ?? [])
    if (!HOP_HEADERS.has(name.toLowerCase())) headers.append(name, value);
  return new Response(NULL_BODY_STATUSES.has(status) ? null : (answer.body ?? ''), { status, headers });
}
