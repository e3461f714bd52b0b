/**
 * POST /v1/agents/:agent/answers — an agent's answers to the calls it took (role `agent:<name>`
 * only). Answers from a session whose calls were already declared lost, or to calls their caller
 * gave up, are dropped: the caller has settled them as unknown outcomes.
 */
import { AnswersBodySchema } from '../../../agent/wire-protocol.js';
import type { ApiContext, ApiServer } from '../../api-context.js';
import { AgentParams, relayFor } from './poll.js';

/** Room for the ERP's larger answers (master data pages). */
const ANSWERS_BODY_LIMIT = 64 * 1024 * 1024;

export function registerAgentAnswersRoute(app: ApiServer, ctx: ApiContext): void {
  app.post(
    '/v1/agents/:agent/answers',
    {
      bodyLimit: ANSWERS_BODY_LIMIT,
      config: { action: 'agents:connect' },
      schema: { summary: "An agent's answers to its calls", params: AgentParams, body: AnswersBodySchema },
    },
    async (request) => {
      const { agent } = request.params;
      const { queue, sessions } = relayFor(ctx, agent);
      const accepted = await queue.answer(agent, request.body.session, request.body.answers);
      await sessions.answered(
        agent,
        accepted.map((a) => a.roundTripMs),
      );
      return { accepted: accepted.length };
    },
  );
}
