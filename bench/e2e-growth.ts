/**
 * Growth: the end-to-end figure (approved expense reports put in at once → posted → confirmed,
 * vendor limits lifted) on an empty store and on one already holding a million finished runs with
 * their inbox events, steps, effects and audit entries (history-seed.ts), on SQLite and on
 * PostgreSQL. Prints documents/s on both, their ratio, the store's size and the hub's peak RSS;
 * writes bench/results/e2e-growth.json.
 *
 * BENCH_DOCUMENTS (default 300), BENCH_HISTORY_RUNS (default 1000000), BENCH_STORES (default
 * sqlite,postgres), LEDGERLINK_TEST_PG.
 */
import { performance } from 'node:perf_hooks';
import { openStore } from '../src/store/open-store.js';
import { writeResult } from './bench-support.js';
import { awaitRuns, documentFigures, injectReports } from './e2e-documents.js';
import {
  benchDatabase,
  benchStore,
  peakRssMiB,
  prepareHubStore,
  startServe,
  startSimulatorProcess,
  stopChild,
} from './e2e-estate.js';
import { seedHistory, storeBytes } from './history-seed.js';

const DOCUMENTS = Number(process.env['BENCH_DOCUMENTS'] ?? 300);
const HISTORY = Number(process.env['BENCH_HISTORY_RUNS'] ?? 1_000_000);
const STORES = (process.env['BENCH_STORES'] ?? 'sqlite,postgres').split(',');
const TIMEOUT_MS = 15 * 60_000;
const MIB = 1024 * 1024;

async function sizeOf(location: string): Promise<number> {
  const store = await openStore(location, { migrate: false });
  try {
    return Math.round(((await storeBytes(store)) / MIB) * 10) / 10;
  } finally {
    await store.close();
  }
}

async function measure(storeKind: string, history: number) {
  const sims = await startSimulatorProcess();
  const { location, drop } = storeKind === 'sqlite' ? benchStore('sqlite') : await benchDatabase();
  try {
    const seeding = performance.now();
    if (history > 0) {
      const store = await openStore(location, { migrate: true });
      try {
        await seedHistory(store, history, Date.now());
      } finally {
        await store.close();
      }
    }
    const seededSeconds = Math.round((performance.now() - seeding) / 100) / 10;
    const token = await prepareHubStore(location);
    const sizeBeforeMiB = await sizeOf(location);
    const hub = await startServe(location, sims, { pollIntervalMs: 1_000, liftVendorLimits: true });
    try {
      await new Promise((r) => setTimeout(r, 5_000));
      const started = Date.now();
      const approvedAt = await injectReports(sims, DOCUMENTS);
      const runs = await awaitRuns({ url: hub.url!, token }, approvedAt, TIMEOUT_MS);
      return {
        store: storeKind,
        historyRuns: history,
        seededSeconds,
        storeMiB: sizeBeforeMiB,
        ...documentFigures(runs, approvedAt, started),
        hubPeakRssMiB: peakRssMiB(hub.child),
      };
    } finally {
      await stopChild(hub.child);
    }
  } finally {
    await stopChild(sims.child);
    await drop();
  }
}

async function main(): Promise<void> {
  const results = [];
  for (const store of STORES) {
    const empty = await measure(store, 0);
    const grown = await measure(store, HISTORY);
    const ratio = Math.round((grown.documentsPerSecond / empty.documentsPerSecond) * 1000) / 10;
    const perMillionMiB = Math.round(((grown.storeMiB - empty.storeMiB) / HISTORY) * 1_000_000 * 10) / 10;
    results.push({ store, empty, grown, ratioPercent: ratio, storeMiBPerMillionRuns: perMillionMiB });
    for (const r of [empty, grown])
      console.log(
        `${store.padEnd(8)} ${String(r.historyRuns).padStart(8)} runs stored (${r.storeMiB} MiB): ` +
          `${r.documentsPerSecond} documents/s (${r.succeeded} posted, ${r.exceptions} exceptions), ` +
          `p50 ${r.latencyP50Ms} ms p99 ${r.latencyP99Ms} ms, hub peak RSS ${r.hubPeakRssMiB} MiB`,
      );
    console.log(
      `${store.padEnd(8)} with history: ${ratio} % of the empty store's documents/s; ${perMillionMiB} MiB per million runs`,
    );
  }
  writeResult('bench/results/e2e-growth.json', {
    measuredAt: new Date().toISOString(),
    documents: DOCUMENTS,
    vendorLimits: 'lifted',
    results,
  });
  console.log('written to bench/results/e2e-growth.json');
}

await main();
