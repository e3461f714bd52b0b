/** An engine with the echo flow pointed at a counting sink, on a fresh store of the given kind. */
import { sql } from 'kysely';
import { EchoSinkConnector } from '../../src/connectors/echo/connector.js';
import { Engine, type EngineOptions } from '../../src/engine/engine.js';
import type { IngestRequest } from '../../src/engine/ingest.js';
import { echoFlow } from '../../src/flows/echo.js';
import { CountingSink } from './counting-sink.js';
import { openTestStore, type StoreKind, type TestStore } from './stores.js';
import { waitFor } from './wait.js';

export const fastSettings = {
  pollIntervalMs: 20,
  leaseMs: 5_000,
  maxAttempts: 4,
  backoff: { baseMs: 10, capMs: 50 },
} as const;

export interface EngineFixture {
  readonly t: TestStore;
  readonly sink: CountingSink;
  readonly engine: Engine;
  close(): Promise<void>;
}

export async function startEchoEngine(
  kind: StoreKind,
  label: string,
  overrides: Partial<Omit<EngineOptions, 'store'>> = {},
): Promise<EngineFixture> {
  const t = await openTestStore(kind, label);
  const sink = new CountingSink();
  const url = await sink.start();
  const engine = new Engine({
    store: t.store,
    flows: [echoFlow(new EchoSinkConnector({ url, timeoutMs: 2_000 }), { systems: ['echo'] })],
    settings: fastSettings,
    ...overrides,
  });
  await engine.startWorker();
  return {
    t,
    sink,
    engine,
    close: async () => {
      await engine.stopWorker(2_000);
      await sink.stop();
      await t.close();
    },
  };
}

export function echoEvent(
  documentId: string,
  extra: Partial<IngestRequest> = {},
  payload: Record<string, unknown> = {},
): IngestRequest {
  return {
    system: 'echo',
    eventType: 'document.created',
    deliveryId: `dlv-${documentId}`,
    correlationId: undefined,
    contentType: 'application/json',
    body: JSON.stringify({ id: documentId, amount: '100.00', ...payload }),
    headers: {},
    ...extra,
  };
}

export async function countRows(
  engine: Engine,
  table: 'runs' | 'inbox_events' | 'effects',
  where: { status?: string } = {},
): Promise<number> {
  let query = engine.store.db.selectFrom(table).select(sql<number>`count(*)`.as('n'));
  if (where.status !== undefined) query = query.where('status', '=', where.status);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function waitForRuns(engine: Engine, status: string, count: number, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    `${count} runs ${status}`,
    async () => (await countRows(engine, 'runs', { status })) >= count,
    timeoutMs,
  );
}
