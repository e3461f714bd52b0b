/** GET /readyz — readiness: 200 while the store answers; 503 when it does not or while shutting down. */
import { Type } from 'typebox';
import { LedgerlinkError } from '../../../canonical/errors.js';
import type { ApiContext, ApiServer } from '../../api-context.js';

const Ready = Type.Object({ status: Type.Literal('ready'), store: Type.String() });
const PING_TIMEOUT_MS = 2_000;

async function pingWithin(ping: () => Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ping(),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function registerReadyzRoute(app: ApiServer, ctx: ApiContext): void {
  const store = ctx.engine.store;
  app.get(
    '/readyz',
    { config: { public: true }, schema: { summary: 'Readiness', response: { 200: Ready } } },
    async () => {
      if (ctx.lifecycle.shuttingDown) throw new LedgerlinkError('LL_ERR_SHUTTING_DOWN', 'Ledgerlink is shutting down');
      try {
        await pingWithin(() => store.ping(), PING_TIMEOUT_MS);
      } catch (cause) {
        throw new LedgerlinkError('LL_ERR_STORE_UNAVAILABLE', 'The store does not answer', { cause });
      }
      return { status: 'ready' as const, store: store.dialect };
    },
  );
}
