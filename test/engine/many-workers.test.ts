/**
 * Several workers on one database: no job is held by two live leases at once, and the target receives
 * exactly one write per document. On PostgreSQL each worker has its own connection pool, as separate
 * processes would; SQLite is one connection per process (better-sqlite3 is synchronous, so two
 * connections in one process would wait on each other's locks inside one event loop), so there the
 * workers share it, and the crash test covers two processes on one file.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EchoSinkConnector } from '../../src/connectors/echo/connector.js';
import { Engine } from '../../src/engine/engine.js';
import { echoFlow } from '../../src/flows/echo.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/port.js';
import { CountingSink } from '../helpers/counting-sink.js';
import { countRows, echoEvent, fastSettings } from '../helpers/engine-fixture.js';
import { createTestDatabase, storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';

const DOCUMENTS = 1_000;
const WORKERS = 4;

for (const kind of storeKinds) {
  describe(`many workers [${kind}]`, () => {
    test(
      `${DOCUMENTS} documents over ${WORKERS} workers: one live lease per job, one write per document`,
      { timeout: 180_000 },
      async () => {
        const database = await createTestDatabase(kind, 'many_workers');
        const stores: Store[] = [];
        const sink = new CountingSink();
        const url = await sink.start();
        const engines: Engine[] = [];
        try {
          stores.push(await openStore(database.location, { migrate: true }));
          for (let i = 1; i < WORKERS; i++)
            stores.push(kind === 'postgres' ? await openStore(database.location) : stores[0]!);
          // Count concurrent holders per document inside the step itself.
          const holders = new Map<string, number>();
          let overlaps = 0;
          const connector = new EchoSinkConnector({ url });
          const watched = {
            findByReference: (ref: string) => connector.findByReference(ref),
            post: async (ref: string, payload: Parameters<typeof connector.post>[1], correlationId: string) => {
              const now = (holders.get(ref) ?? 0) + 1;
              holders.set(ref, now);
              if (now > 1) overlaps++;
              try {
                return await connector.post(ref, payload, correlationId);
              } finally {
                holders.set(ref, (holders.get(ref) ?? 1) - 1);
              }
            },
          };
          for (const store of stores) {
            const engine = new Engine({
              store,
              flows: [echoFlow(watched, { systems: ['echo'] })],
              settings: { ...fastSettings, concurrency: 16 },
            });
            engines.push(engine);
            await engine.startWorker();
          }
          const batches = 10;
          for (let b = 0; b < batches; b++) {
            const size = DOCUMENTS / batches;
            await Promise.all(
              Array.from({ length: size }, (_, i) => engines[b % WORKERS]!.accept(echoEvent(`mw-${b * size + i}`))),
            );
          }
          await waitFor(
            'every run succeeded',
            async () => (await countRows(engines[0]!, 'runs', { status: 'succeeded' })) === DOCUMENTS,
            150_000,
            100,
          );
          // On a loaded machine a sink call may time out and be retried; the retry must find the first
          // write by its reference, so no step fails and every document is still written once.
          const notSucceeded = await stores[0]!.db
            .selectFrom('run_steps')
            .select(['status', 'error_code', 'error_message'])
            .where('status', '!=', 'succeeded')
            .execute();
          assert.deepEqual(
            notSucceeded.filter((r) => r.status !== 'retrying' || r.error_code !== 'LL_ERR_REMOTE_TRANSIENT'),
            [],
            'no step failed; retries were transient only',
          );
          assert.equal(sink.writes.length, DOCUMENTS);
          assert.equal(new Set(sink.writes.map((w) => w.reference)).size, DOCUMENTS);
          assert.equal(overlaps, 0, 'no document was being written by two workers at once');

          assert.equal((await engines[0]!.verifyAudit()).ok, true);
        } finally {
          for (const engine of engines) await engine.stopWorker(2_000);
          await sink.stop();
          for (const store of new Set(stores)) await store.close();
          await database.drop();
        }
      },
    );
  });
}
