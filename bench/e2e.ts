/**
 * End to end: approved expense reports put into the expense simulator all at once → found by the
 * hub's READY-queue poller → posted in the ERP simulator → confirmed to the expense simulator, on
 * SQLite and on PostgreSQL, under the vendors' client-side limits (the SAP connector's default
 * 10 requests/s) and with them lifted. Prints documents per second, the run's latency from the hub
 * seeing a report to its confirmation (p50/p99), the hub's peak RSS and the vendor requests each
 * document cost; writes bench/results/e2e.json.
 *
 * BENCH_DOCUMENTS (default 100), BENCH_STORES (default sqlite,postgres), BENCH_LIMITS (default
 * vendor,lifted), BENCH_CONCURRENCY (engine.concurrency; the configuration's when unset),
 * LEDGERLINK_TEST_PG (default postgres://postgres@127.0.0.1:5432/test), BENCH_PROFILE_DIR (a CPU
 * profile of the hub written there, to open in Chrome DevTools or read with bench/profile-summary.ts).
 */
import { writeResult } from './bench-support.js';
import { awaitRuns, documentFigures, injectReports, perDocument, requestCounts } from './e2e-documents.js';
import { peakRssMiB, withHubEstate } from './e2e-estate.js';

const DOCUMENTS = Number(process.env['BENCH_DOCUMENTS'] ?? 100);
const STORES = (process.env['BENCH_STORES'] ?? 'sqlite,postgres').split(',');
const LIMITS = (process.env['BENCH_LIMITS'] ?? 'vendor,lifted').split(',');
const POLL_MS = 1_000;
const CONCURRENCY =
  process.env['BENCH_CONCURRENCY'] === undefined ? undefined : Number(process.env['BENCH_CONCURRENCY']);
const TIMEOUT_MS = 15 * 60_000;

async function measure(store: string, limits: string) {
  const settings = {
    pollIntervalMs: POLL_MS,
    liftVendorLimits: limits === 'lifted',
    ...(CONCURRENCY === undefined ? {} : { concurrency: CONCURRENCY }),
    ...(process.env['BENCH_PROFILE_DIR'] === undefined ? {} : { profileDir: process.env['BENCH_PROFILE_DIR'] }),
  };
  return withHubEstate(store, settings, async (hub, sims) => {
    const baseline = await requestCounts(sims);
    const started = Date.now();
    const approvedAt = await injectReports(sims, DOCUMENTS);
    const runs = await awaitRuns(hub, approvedAt, TIMEOUT_MS);
    const requests = perDocument(baseline, await requestCounts(sims), DOCUMENTS);
    return {
      store,
      vendorLimits: limits === 'lifted' ? 'lifted' : 'vendor defaults (SAP 10 requests/s, Coupa 25/s)',
      ...documentFigures(runs, approvedAt, started),
      hubPeakRssMiB: peakRssMiB(hub.child),
      requestsPerDocument: requests.byVendor,
      requestsPerDocumentByEndpoint: requests.byRoute,
    };
  });
}

async function main(): Promise<void> {
  const results = [];
  for (const store of STORES) {
    for (const limits of LIMITS) {
      const result = await measure(store, limits);
      results.push(result);
      console.log(
        `${store.padEnd(8)} limits ${limits.padEnd(6)} ${result.documentsPerSecond} documents/s ` +
          `(${result.succeeded} posted, ${result.exceptions} exceptions, ${result.seconds} s), ` +
          `latency p50 ${result.latencyP50Ms} ms p99 ${result.latencyP99Ms} ms, peak RSS ${result.hubPeakRssMiB} MiB, ` +
          `requests per document ${JSON.stringify(result.requestsPerDocument)}`,
      );
    }
  }
  writeResult('bench/results/e2e.json', { measuredAt: new Date().toISOString(), results });
  console.log('written to bench/results/e2e.json');
}

await main();
