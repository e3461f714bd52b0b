/**
 * What the hub and an agent say to each other, over HTTPS the agent opens (long poll):
 *
 * - `POST /v1/agents/:agent/poll` `{ session, version, waitMs?, max? }` → `{ calls: AgentCall[] }`:
 *   the agent asks for work and the hub holds the request until a call is queued or `waitMs` ends.
 *   `session` is new at every start of the agent process, so the hub knows that calls handed to an
 *   earlier session will never be answered.
 * - `POST /v1/agents/:agent/answers` `{ session, answers: AgentAnswer[] }` → `{ accepted }`: the
 *   agent's answers, as soon as each exchange ends.
 *
 * A call is one HTTP exchange of a connector, without the credentials the agent adds itself; its
 * answer is the remote's response whatever its status (the hub's HTTP client classifies it), or what
 * went wrong at the agent: `not_sent` (nothing reached the remote: connection refused, no such host),
 * `unknown` (sent, no complete answer: timeout, reset) or `refused` (the agent's configuration does
 * not allow this system or URL).
 */
import { Type, type Static } from 'typebox';

const Header = Type.Tuple([Type.String({ maxLength: 256 }), Type.String({ maxLength: 65_536 })]);

export const AgentCallSchema = Type.Object({
  id: Type.String(),
  system: Type.String(),
  method: Type.String(),
  url: Type.String(),
  headers: Type.Array(Header),
  body: Type.Union([Type.String(), Type.Null()]),
  /** How long the agent may take for the exchange; the hub waits a little longer. */
  timeoutMs: Type.Integer({ minimum: 0 }),
});
export type AgentCall = Static<typeof AgentCallSchema>;

export const AGENT_FAILURES = ['not_sent', 'unknown', 'refused'] as const;
export type AgentFailure = (typeof AGENT_FAILURES)[number];

export const AgentAnswerSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    status: Type.Optional(Type.Integer({ minimum: 200, maximum: 599 })),
    headers: Type.Optional(Type.Array(Header, { maxItems: 500 })),
    body: Type.Optional(Type.String()),
    failure: Type.Optional(
      Type.Object(
        {
          kind: Type.Union([Type.Literal('not_sent'), Type.Literal('unknown'), Type.Literal('refused')]),
          message: Type.String({ maxLength: 2_000 }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type AgentAnswer = Static<typeof AgentAnswerSchema>;

export const Session = Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$', description: 'the agent process session' });

export const PollBodySchema = Type.Object(
  {
    session: Session,
    version: Type.String({ minLength: 1, maxLength: 64 }),
    waitMs: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 60_000, description: 'hold the poll this long at most' }),
    ),
    max: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'calls per answer at most' })),
  },
  { additionalProperties: false },
);
export type PollBody = Static<typeof PollBodySchema>;

export const AnswersBodySchema = Type.Object(
  { session: Session, answers: Type.Array(AgentAnswerSchema, { maxItems: 200 }) },
  { additionalProperties: false },
);
export type AnswersBody = Static<typeof AnswersBodySchema>;

/** Headers that describe one hop's connection or encoding, not the message: never relayed. */
export const HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'keep-alive',
  'host',
  'te',
  'upgrade',
]);
