/**
 * POST /v1/agents/:agent/poll — an agent's long poll (role `agent:<name>` only). Records the agent's
 * session as seen, then answers the calls queued for it as soon as there are any, or an empty list
 * when `waitMs` (default 20 s) ends. While the poll is held the agent stays "last seen" (every 5 s);
 * a poll whose connection closes before its answer marks the agent's connection closed, and calls
 * that were in an answer that never finished writing are lost (unknown outcomes).
 */
import { Type } from 'typebox';
import { LedgerlinkError } from '../../../canonical/errors.js';
import type { AgentRelay } from '../../../agent/relay/agent-relay.js';
import { PollBodySchema, type AgentCall } from '../../../agent/wire-protocol.js';
import { AGENT_HEARTBEAT_MS } from '../../../insights/agent-health.js';
import type { ApiContext, ApiServer } from '../../api-context.js';

export const AgentParams = Type.Object({ agent: Type.String({ pattern: '^[a-z][a-z0-9_-]{0,63}$' }) });
const DEFAULT_WAIT_MS = 20_000;
const TICK_MS = 100;

/** LL_ERR_AGENT_UNKNOWN unless the configuration knows the agent; answers the relay. */
export function relayFor(ctx: ApiContext, agent: string): AgentRelay {
  const relay = ctx.agents;
  if (relay === undefined || !relay.known.has(agent)) {
    throw new LedgerlinkError('LL_ERR_AGENT_UNKNOWN', `No agent named ${agent} is configured`, {
      details: [{ path: 'params/agent', message: 'no system says via: agent:<name> with this name', agent }],
    });
  }
  return relay;
}

export function registerAgentPollRoute(app: ApiServer, ctx: ApiContext): void {
  app.post(
    '/v1/agents/:agent/poll',
    {
      config: { action: 'agents:connect' },
      schema: { summary: "An agent's long poll for calls", params: AgentParams, body: PollBodySchema },
    },
    async (request, reply) => {
      const { agent } = request.params;
      const { queue, sessions } = relayFor(ctx, agent);
      const { session, version } = request.body;
      const waitMs = request.body.waitMs ?? DEFAULT_WAIT_MS;
      await sessions.seen(agent, session, version);
      let gone = false;
      let sent: readonly AgentCall[] = [];
      reply.raw.once('close', () => {
        if (reply.raw.writableFinished) return;
        gone = true;
        void sessions
          .closed(
            agent,
            session,
            sent.map((c) => c.id),
          )
          .catch((err: unknown) => request.log.warn({ err, agent }, 'agent poll: closing the session failed'));
      });
      const deadline = Date.now() + waitMs;
      let beat = Date.now();
      for (;;) {
        if (gone || ctx.lifecycle.shuttingDown) return { calls: [] };
        const calls = await queue.take(agent, session, request.body.max ?? 50);
        if (calls.length > 0 && gone) {
          await sessions.closed(
            agent,
            session,
            calls.map((c) => c.id),
          );
          return { calls: [] };
        }
        if (calls.length > 0) {
          sent = calls;
          return { calls };
        }
        const left = deadline - Date.now();
        if (left <= 0) return { calls: [] };
        await queuedOrTimeout(relayFor(ctx, agent), agent, Math.min(TICK_MS, left));
        if (Date.now() - beat >= AGENT_HEARTBEAT_MS) {
          beat = Date.now();
          await sessions.heartbeat(agent, session);
        }
      }
    },
  );
}

/** Resolves when a call for the agent is queued in this process, or after `ms`. */
function queuedOrTimeout(relay: AgentRelay, agent: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const unsubscribe = relay.queue.onQueued(agent, done);
  });
}
