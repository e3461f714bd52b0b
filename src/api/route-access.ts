/**
 * How a route says who may call it. Every route declares either `config: { action }` (an action of
 * the role matrix in security/access-roles.ts; `events:post` is resolved with the `:system` parameter)
 * or `config: { public: true }` (health, readiness, metrics, docs). A route that declares neither is
 * refused to everyone. The authentication hook sets `request.principal` before the handler runs.
 */
import type { FastifyRequest } from 'fastify';
import type { StaticAction } from '../security/access-roles.js';

export type RouteAction = StaticAction | 'events:post' | 'agents:connect';

export interface Principal {
  /** The token's id (what the audit log names). */
  readonly tokenId: string;
  /** The token's name: the person or service it was issued to. */
  readonly name: string;
  readonly roles: readonly string[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    action?: RouteAction;
    public?: boolean;
    /** Any authenticated principal, whatever its roles (the console's own session routes). */
    signedIn?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

/** Who did it, for audit rows and operator actions: `token:<name>` or `anonymous`. */
export function actorOf(request: FastifyRequest): string {
  return request.principal === undefined ? 'anonymous' : `token:${request.principal.name}`;
}
