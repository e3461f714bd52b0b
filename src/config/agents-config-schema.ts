/**
 * The hub's side of on-premises agents in `ledgerlink.yaml`: the agents it knows and when each is
 * reported gone (`agents:`), and the hosts the hub itself never connects to (`network:`). A system
 * says `via: agent:<name>` to be reached through that agent (flows-config-schema.ts).
 */
import { Type, type Static } from 'typebox';

export const AGENT_NAME_PATTERN = '^[a-z][a-z0-9_-]{0,63}$';
export const VIA_AGENT_PATTERN = '^agent:[a-z][a-z0-9_-]{0,63}$';

export const AgentConfigSchema = Type.Object(
  {
    goneAlertAfterMs: Type.Optional(
      Type.Integer({
        minimum: 1_000,
        maximum: 86_400_000,
        description: 'alert when the agent has not been seen for this long (default 300000: 5 minutes)',
      }),
    ),
    owner: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'who is alerted (default integration-ops)' }),
    ),
  },
  { additionalProperties: false },
);

export const AgentsConfigSchema = Type.Record(Type.String({ pattern: AGENT_NAME_PATTERN }), AgentConfigSchema, {
  additionalProperties: false,
  description: 'on-premises agents by name; an agent a system names in `via` is known without an entry here',
});

export const NetworkConfigSchema = Type.Object(
  {
    refuseHosts: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 255 }), {
        maxItems: 1_000,
        description:
          'hosts this hub never connects to itself: names, *.suffix, IPv4 addresses or CIDR blocks; reach them through an agent',
      }),
    ),
  },
  { additionalProperties: false },
);

export type AgentConfig = Static<typeof AgentConfigSchema>;
export type AgentsConfig = Static<typeof AgentsConfigSchema>;
export type NetworkConfig = Static<typeof NetworkConfigSchema>;

/** The agent a system's `via` names, or undefined for a system the hub reaches itself. */
export function agentOfVia(via: string | undefined): string | undefined {
  return via?.startsWith('agent:') === true ? via.slice('agent:'.length) : undefined;
}
