/**
 * `npm run bench`: every benchmark in turn, each printing its figures and writing
 * bench/results/<name>.json — end to end (e2e.ts), its latency at half load (e2e-paced.ts), with
 * 1/2/4 workers on PostgreSQL (e2e-scale-out.ts) and with a million runs stored (e2e-growth.ts),
 * the non-durable pass-through beside the hub (passthrough.ts), ingest against the machine's limits (ingest.ts),
 * the synchronous coding check and supplier lookup. Each also runs alone: `npx tsx bench/<name>.ts`.
 */
import { spawnSync } from 'node:child_process';

const BENCHES = [
  'e2e.ts',
  'e2e-paced.ts',
  'e2e-scale-out.ts',
  'e2e-growth.ts',
  'passthrough.ts',
  'ingest.ts',
  'validate-coding.ts',
  'validate-coding-http.ts',
  'supplier-lookup.ts',
];
const only = process.argv.slice(2);
let failed = 0;
for (const bench of BENCHES.filter((b) => only.length === 0 || only.some((o) => b.startsWith(o)))) {
  console.log(`\n== bench/${bench}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', `bench/${bench}`], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
