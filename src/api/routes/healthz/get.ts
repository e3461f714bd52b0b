/** GET /healthz — liveness: the process answers. It does not touch the store. */
import { Type } from 'typebox';
import type { ApiServer } from '../../api-context.js';

const Live = Type.Object({ status: Type.Literal('ok') });

export function registerHealthzRoute(app: ApiServer): void {
  app.get(
    '/healthz',
    { config: { public: true }, schema: { summary: 'Liveness', response: { 200: Live } } },
    async () => ({ status: 'ok' as const }),
  );
}
