/**
 * A worker process for the crash tests: the echo flow against the given sink, on the given store.
 * Usage: worker-process.ts <store location> <sink url>. Prints "ready" once it is claiming jobs.
 */
import { EchoSinkConnector } from '../../src/connectors/echo/connector.js';
import { Engine } from '../../src/engine/engine.js';
import { echoFlow } from '../../src/flows/echo.js';
import { openStore } from '../../src/store/open-store.js';

const [location, sinkUrl] = process.argv.slice(2);
if (location === undefined || sinkUrl === undefined) {
  process.stderr.write('usage: worker-process.ts <store location> <sink url>\n');
  process.exit(2);
}
const store = await openStore(location);
const engine = new Engine({
  store,
  flows: [echoFlow(new EchoSinkConnector({ url: sinkUrl, timeoutMs: 500 }), { systems: ['echo'] })],
  settings: {
    leaseMs: 1_000,
    pollIntervalMs: 20,
    concurrency: 8,
    maxAttempts: 100,
    backoff: { baseMs: 10, capMs: 100 },
  },
});
await engine.startWorker();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void engine
    .stopWorker(1_000)
    .then(() => store.close())
    .then(() => process.exit(0));
});
