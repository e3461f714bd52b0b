/**
 * Latency at half load: first the peak (approved expense reports put in at once → posted →
 * confirmed, vendor limits lifted), then, on the same hub, reports approved at a steady half of
 * that peak for a while; prints approval → posting latency p50/p99 at that pace (from the report
 * entering the expense platform's READY queue, so it includes waiting for the next poll) and from
 * the hub seeing the report. Writes bench/results/e2e-paced.json.
 *
 * BENCH_DOCUMENTS (the burst, default 300), BENCH_SECONDS (the paced part, default 30),
 * BENCH_POLL_MS (the expense READY-queue poll interval; at least 1000, the configuration's floor), BENCH_STORES (default
 * sqlite,postgres), LEDGERLINK_TEST_PG.
 */
import { writeResult } from './bench-support.js';
import { awaitRuns, documentFigures, injectReports, perDocument, requestCounts } from './e2e-documents.js';
import { peakRssMiB, withHubEstate } from './e2e-estate.js';

const DOCUMENTS = Number(process.env['BENCH_DOCUMENTS'] ?? 300);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 30);
const POLL_MS = Number(process.env['BENCH_POLL_MS'] ?? 1_000);
const STORES = (process.env['BENCH_STORES'] ?? 'sqlite,postgres').split(',');
const TIMEOUT_MS = 15 * 60_000;

async function measure(store: string) {
  return withHubEstate(store, { pollIntervalMs: POLL_MS, liftVendorLimits: true }, async (hub, sims) => {
    const burstStarted = Date.now();
    const burstApproved = await injectReports(sims, DOCUMENTS, { seed: 42 });
    const peak = documentFigures(await awaitRuns(hub, burstApproved, TIMEOUT_MS), burstApproved, burstStarted);
    const perSecond = Math.max(1, peak.documentsPerSecond / 2);
    const count = Math.max(1, Math.round(perSecond * SECONDS));
    const before = await requestCounts(sims);
    const pacedStarted = Date.now();
    const pacedApproved = await injectReports(sims, count, { seed: 43, perSecond });
    const paced = documentFigures(await awaitRuns(hub, pacedApproved, TIMEOUT_MS), pacedApproved, pacedStarted);
    const requests = perDocument(before, await requestCounts(sims), count);
    return {
      store,
      pollIntervalMs: POLL_MS,
      peak,
      pacedPerSecond: Math.round(perSecond * 100) / 100,
      paced,
      pacedRequestsPerDocument: requests.byVendor,
      hubPeakRssMiB: peakRssMiB(hub.child),
    };
  });
}

async function main(): Promise<void> {
  const results = [];
  for (const store of STORES) {
    const r = await measure(store);
    results.push(r);
    console.log(
      `${store.padEnd(8)} peak ${r.peak.documentsPerSecond} documents/s; at ${r.pacedPerSecond}/s for ${SECONDS} s: ` +
        `approval → posted p50 ${r.paced.approvalToPostedP50Ms} ms p99 ${r.paced.approvalToPostedP99Ms} ms, ` +
        `hub saw → posted p50 ${r.paced.latencyP50Ms} ms p99 ${r.paced.latencyP99Ms} ms ` +
        `(${r.paced.succeeded} posted, ${r.paced.exceptions} exceptions; READY queue polled every ${POLL_MS} ms)`,
    );
  }
  writeResult('bench/results/e2e-paced.json', {
    measuredAt: new Date().toISOString(),
    vendorLimits: 'lifted',
    results,
  });
  console.log('written to bench/results/e2e-paced.json');
}

await main();
