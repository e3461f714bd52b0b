/** What the console is told about its session: who, which roles, which actions those allow, until when. */
import { Type } from 'typebox';
import { authorize, STATIC_ACTIONS } from '../../../security/access-roles.js';

export const SessionSchema = Type.Object({
  name: Type.String({ description: 'the name of the token the session was opened with' }),
  roles: Type.Array(Type.String()),
  actions: Type.Array(Type.String(), { description: 'the actions the roles allow (the console shows only these)' }),
  expiresAt: Type.String({ format: 'date-time' }),
});

export function sessionView(token: { readonly name: string; readonly roles: readonly string[] }, expiresAt: number) {
  return {
    name: token.name,
    roles: [...token.roles],
    actions: STATIC_ACTIONS.filter((action) => authorize(token.roles, action)),
    expiresAt: new Date(expiresAt).toISOString(),
  };
}
